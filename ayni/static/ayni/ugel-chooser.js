/* Region first, then its UGELs.
 *
 * The UGEL <select data-region-select="id_region"> comes from the server grouped by
 * region (<optgroup label="GRE Arequipa">), and works as it is without JavaScript.
 * With it, choosing a region leaves only that region's UGELs in the list; choosing
 * a UGEL while no region is chosen sets its region. No inline script (CSP).
 */
(function () {
  "use strict";

  function setup(unit) {
    var region = document.getElementById(unit.getAttribute("data-region-select"));
    if (!region) {
      return;
    }
    var placeholder = unit.querySelector("option[value='']");
    var groups = Array.prototype.map.call(unit.querySelectorAll("optgroup"), function (group) {
      return { label: group.label, options: Array.prototype.slice.call(group.children) };
    });

    function regionLabel() {
      var option = region.options[region.selectedIndex];
      return option && option.value ? option.text : "";
    }

    function render() {
      var chosen = unit.value;
      var label = regionLabel();
      while (unit.firstChild) {
        unit.removeChild(unit.firstChild);
      }
      if (placeholder) {
        unit.appendChild(placeholder);
      }
      var shown = [];
      groups.forEach(function (group) {
        if (label && group.label !== label) {
          return;
        }
        if (label) {
          group.options.forEach(function (option) {
            unit.appendChild(option);
            shown.push(option);
          });
        } else {
          var element = document.createElement("optgroup");
          element.label = group.label;
          group.options.forEach(function (option) {
            element.appendChild(option);
          });
          unit.appendChild(element);
        }
      });
      unit.value = chosen;
      if (unit.value !== chosen || !chosen) {
        unit.value = shown.length === 1 ? shown[0].value : "";
      }
    }

    region.addEventListener("change", render);
    unit.addEventListener("change", function () {
      if (regionLabel() || !unit.value) {
        return;
      }
      var option = unit.options[unit.selectedIndex];
      var group = option.parentNode;
      if (group && group.tagName === "OPTGROUP") {
        Array.prototype.forEach.call(region.options, function (candidate) {
          if (candidate.text === group.label) {
            region.value = candidate.value;
          }
        });
        render();
      }
    });
    render();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-region-select]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
