// Filters for the preview gallery. Without this script every variant is shown; with it,
// the filter form appears and narrows the list. The choice is kept in the address (#...),
// so a reload (the live preview reloads after each rebuild) keeps it.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var variants = Array.prototype.slice.call(document.querySelectorAll("article.variant"));
  var groups = document.querySelectorAll("section.language, section.region");
  var status = document.getElementById("filter-status");
  var fields = ["region", "lang", "material"];

  function matches(article) {
    var chosen = fields.every(function (name) {
      var value = form.elements[name].value;
      return !value || article.getAttribute("data-" + name) === value;
    });
    return chosen && (!form.elements.warnings.checked || article.getAttribute("data-warnings") === "1");
  }

  function remember() {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      if (form.elements[name].value) {
        params.set(name, form.elements[name].value);
      }
    });
    if (form.elements.warnings.checked) {
      params.set("warnings", "1");
    }
    var hash = params.toString();
    if (!hash && location.hash.indexOf("=") < 0) {
      return; // no filter, and the address names a place on the page (#id): keep it
    }
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (error) {
      // Some browsers refuse history changes on file: pages; the filter still works.
    }
  }

  function restore() {
    var params = new URLSearchParams(location.hash.slice(1));
    fields.forEach(function (name) {
      var value = params.get(name);
      var select = form.elements[name];
      if (value && select.querySelector('option[value="' + CSS.escape(value) + '"]')) {
        select.value = value;
      }
    });
    form.elements.warnings.checked = params.get("warnings") === "1";
  }

  function apply() {
    var shown = 0;
    variants.forEach(function (article) {
      var show = matches(article);
      article.hidden = !show;
      shown += show ? 1 : 0;
    });
    Array.prototype.forEach.call(groups, function (group) {
      group.hidden = !group.querySelector("article.variant:not([hidden])");
    });
    status.textContent = "Showing " + shown + " of " + variants.length + " variants";
    remember();
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.addEventListener("reset", function () {
    setTimeout(apply, 0);
  });
  restore();
  apply();
})();
