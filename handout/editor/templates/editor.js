// Every editor page: the name of whoever makes the changes, typed once and remembered in
// this browser (localStorage), filled into every form's "Your name" (shown or hidden), and
// asked for before a change is saved without it: every change in the history is signed.
// Inlined into each page, which allows it by its hash (editor/headers.py).
(function () {
  var KEY = "handout-editor-name";
  var stored = "";
  try { stored = window.localStorage.getItem(KEY) || ""; } catch (error) { stored = ""; }
  var shown = document.querySelectorAll("input.who");
  var hidden = document.querySelectorAll("input[type=hidden][name=_who]");

  function current() {
    for (var i = 0; i < shown.length; i++) {
      if (shown[i].value.trim()) { return shown[i].value.trim(); }
    }
    return stored;
  }

  function spread(name) {
    shown.forEach(function (box) { if (!box.value.trim()) { box.value = name; } });
    hidden.forEach(function (box) { box.value = name; });
  }

  function keep(name) {
    stored = name;
    try { window.localStorage.setItem(KEY, name); } catch (error) { /* private mode */ }
  }

  if (stored) { spread(stored); } else { spread(current()); }
  shown.forEach(function (box) {
    box.addEventListener("input", function () {
      var name = box.value.trim();
      keep(name);
      shown.forEach(function (other) { if (other !== box) { other.value = name; } });
      hidden.forEach(function (other) { other.value = name; });
    });
  });

  // A record's form: a phone number changed asks whether it was checked today, as it is
  // typed (asked when the box is left, the message would move the Save button away from
  // the pointer on its way there). The question and its How and Where fields move to just
  // below the changed number, not a long way down beside Save.
  var how = document.getElementById("f-check-how");
  var ask = document.getElementById("f-check-ask");
  var group = document.getElementById("f-check-how-group");
  if (how && ask && group) {
    document.querySelectorAll("input[name^='phones.'][name$='.number']").forEach(function (box) {
      box.addEventListener("input", function () {
        var field = box.closest(".field");
        if (field && field.nextElementSibling !== group) { field.after(group); }
        if (!how.value) {
          ask.textContent = "You changed this phone number. Did you check it today? Say how here.";
        }
      });
    });
    how.addEventListener("change", function () { if (how.value) { ask.textContent = ""; } });
  }

  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var name = current();
      var own = form.querySelector("input[name=_who]");
      if (!own) { return; }
      if (!name) {
        event.preventDefault();
        var box = shown[0];
        var message = document.getElementById("who-message");
        if (message) { message.textContent = "Write your name first: the history keeps it with each change."; }
        if (box) { box.focus(); }
        return;
      }
      own.value = name;
      keep(name);
    });
  });
})();
