// Added by `python build.py serve` to the page it serves (never to index.html on disk):
// polls the server and reloads the page when a build changed what it shows. Each poll
// says which variant is on screen (the one last clicked, if still in view; else the one
// taking most of the window), so that the next rebuild renders it before the others.
(function () {
  "use strict";
  var version = document.currentScript.dataset.version;
  var KEY = "handout-clicked";

  function nameOf(article) {
    return [article.dataset.region, article.dataset.lang, article.dataset.material].join("/");
  }

  function clicked(event) {
    var article = event.target.closest && event.target.closest("article.variant");
    if (article) {
      try {
        sessionStorage.setItem(KEY, nameOf(article)); // kept across the reloads
      } catch (error) {
        // Storage may be refused (privacy settings); the largest variant in view counts.
      }
    }
  }
  document.addEventListener("click", clicked, true);
  document.addEventListener("focusin", clicked, true);

  function onScreen() {
    if (document.visibilityState !== "visible") {
      return "";
    }
    var last = "";
    try {
      last = sessionStorage.getItem(KEY) || "";
    } catch (error) {
      last = "";
    }
    var best = "";
    var most = 0;
    var articles = document.querySelectorAll("article.variant");
    for (var i = 0; i < articles.length; i++) {
      var box = articles[i].getBoundingClientRect();
      var high = Math.min(box.bottom, window.innerHeight) - Math.max(box.top, 0);
      var wide = Math.min(box.right, window.innerWidth) - Math.max(box.left, 0);
      var seen = high > 0 && wide > 0 ? high * wide : 0;
      if (seen > 0 && nameOf(articles[i]) === last) {
        return last;
      }
      if (seen > most) {
        most = seen;
        best = nameOf(articles[i]);
      }
    }
    return best;
  }
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
    var shown = onScreen();
    fetch("__STATUS__" + (shown ? "?shown=" + encodeURIComponent(shown) : ""), {
      cache: "no-store",
    })
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
