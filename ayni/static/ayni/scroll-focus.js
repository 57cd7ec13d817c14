/* A table wider than the screen scrolls sideways inside its `.scroll` box. Such a box
 * must be reachable with the keyboard (WCAG 2.1.1): when it actually overflows it
 * becomes a focusable, named region; when it fits, it is left alone (no useless tab
 * stop). Re-checked when the window changes size. No inline script (CSP). */
(function () {
  "use strict";

  function nameFor(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var section = box.closest("section, article, main");
    var heading = section && section.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : "";
  }

  function update() {
    Array.prototype.forEach.call(document.querySelectorAll(".scroll"), function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var name = nameFor(box);
        box.setAttribute("aria-label", name ? name + " (desplazable)" : "Tabla desplazable");
        box.setAttribute("data-scroll-focus", "");
      } else if (!overflows && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(update, 150);
  });
  document.addEventListener("htmx:afterSwap", update);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
