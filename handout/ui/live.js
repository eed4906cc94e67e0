// Added by `python build.py serve` to the page it serves (never to index.html on disk):
// polls the server and reloads the page when a build changed what it shows.
(function () {
  "use strict";
  var version = "__VERSION__";
  var note = document.createElement("p");
  note.className = "live-status";
  note.setAttribute("role", "status");
  note.hidden = true;
  document.body.appendChild(note);

  function show(text) {
    note.textContent = text;
    note.hidden = !text;
  }

  function poll() {
    fetch("__STATUS__", { cache: "no-store" })
      .then(function (response) {
        return response.json();
      })
      .then(function (status) {
        if (status.version !== version) {
          location.reload();
          return;
        }
        show(status.building ? "Rebuilding…" : "");
        setTimeout(poll, __POLL_MS__);
      })
      .catch(function () {
        show("The preview server is not answering; is `python build.py serve` running?");
        setTimeout(poll, 2000);
      });
  }

  setTimeout(poll, __POLL_MS__);
})();
