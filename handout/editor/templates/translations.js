// The translations page: placeholders checked as the user types (the server checks them
// again on save). Inlined into the page, which allows it by its hash (editor/headers.py).
document.querySelectorAll("textarea[data-placeholders]").forEach(function (box) {
  var wanted = box.dataset.placeholders.split(" ").filter(Boolean).sort().join(" ");
  var message = document.getElementById(box.id.replace(/-text$/, "-error"));
  box.addEventListener("input", function () {
    var found = (box.value.match(/\{[a-z_]+\}/g) || []).sort().join(" ");
    message.textContent = found === wanted ? "" :
      "The translation must keep the placeholders exactly as in English: " + (wanted || "none");
  });
});
