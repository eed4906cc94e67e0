// Quick exit: the button and the Escape key replace this page with a neutral one, and
// replace its history entry too, so that Back does not bring it back. Opening a chapter
// that a link points to (the browser keeps a closed chapter's text hidden).
(function () {
  "use strict";
  var exit = document.getElementById("quick-exit");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    window.location.replace(exit.href);
  }
  exit.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
