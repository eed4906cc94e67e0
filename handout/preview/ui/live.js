// Added by `python build.py serve` to the page it serves (never to index.html on disk):
// polls the server, shows how far a build is ("12 of 36 PDFs done"), and reloads the page
// when a build changed what it shows (each set of PDFs it publishes). Each poll
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
  // How far the build is: in the page's own place for it (the first build's page), else in
  // a note in the corner of the gallery, shown while a rebuild runs.
  var note = document.getElementById("build-progress");
  var floating = !note;
  if (floating) {
    note = document.createElement("div");
    note.className = "live-status";
    note.hidden = true;
    document.body.appendChild(note);
  }
  var words = document.createElement("p");
  words.setAttribute("role", "status");
  var bar = document.createElement("progress");
  bar.hidden = true;
  note.appendChild(words);
  note.appendChild(bar);

  function show(text, done, total) {
    if (words.textContent !== text) {
      words.textContent = text;
    }
    bar.hidden = !total;
    if (total) {
      bar.max = total;
      bar.value = done;
    }
    if (floating) {
      note.hidden = !text;
    }
  }

  function progressText(status) {
    if (!status.building) {
      return "";
    }
    if (!status.total) {
      return floating ? "Rebuilding…" : "Reading the content…";
    }
    var text = status.done + " of " + status.total + " PDFs done.";
    if (floating && status.first) {
      text = "Building the preview: " + text.replace(".", "; each shows here when it is made.");
    } else if (floating) {
      text = "Rebuilding: " + text;
    }
    if (status.latest) {
      text += " Latest: " + status.latest + ".";
    }
    return text;
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
        show(progressText(status), status.done, status.total);
        setTimeout(poll, __POLL_MS__);
      })
      .catch(function () {
        show("The preview server is not answering; is `python build.py serve` running?", 0, 0);
        setTimeout(poll, 2000);
      });
  }

  setTimeout(poll, __POLL_MS__);
})();
