/* The new filing form shows only the fields its kind needs.
 *
 * Each field that belongs to one kind is marked on its <select> with
 * data-for-kind="<kind>"; the wrapper (.field) is hidden for the other kinds. Without
 * JavaScript every field shows, with its help text saying when it applies. No inline
 * script (CSP).
 */
(function () {
  "use strict";

  function setup(kind) {
    var fields = Array.prototype.slice.call(document.querySelectorAll("[data-for-kind]"));

    function render() {
      fields.forEach(function (input) {
        var wrapper = input.closest(".field");
        if (wrapper) {
          wrapper.hidden = input.getAttribute("data-for-kind") !== kind.value;
        }
      });
    }

    kind.addEventListener("change", render);
    render();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var kind = document.getElementById("id_kind");
    if (kind) {
      setup(kind);
    }
  });
})();
