// Added by `python build.py serve` to the page it serves (never to index.html on disk):
// hears the server's news (pushed as server-sent events; polled when the stream fails, and
// slowly beside it), shows how far a build is ("12 of 36 PDFs done"), and brings in the new
// page when a build changed what it shows (each set of PDFs it publishes): it fetches the
// new page, loads and decodes every one of its pictures first, and only then swaps it in,
// so a thumbnail never shows as an empty frame (no reload, the scroll position stays). Each
// poll says which variant is on screen (the one last clicked, if still in view; else the
// one taking most of the window), so that the next rebuild renders it before the others.
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
  var note, floating, words, bar;

  function placeNote() {
    note = document.getElementById("build-progress");
    floating = !note;
    if (floating) {
      note = document.createElement("div");
      note.className = "live-status";
      note.hidden = true;
      document.body.appendChild(note);
    }
    words = document.createElement("p");
    words.setAttribute("role", "status");
    bar = document.createElement("progress");
    bar.hidden = true;
    note.appendChild(words);
    note.appendChild(bar);
  }
  placeNote();
  var self = document.currentScript;

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

  // The newest state heard (from the stream or a poll), and the page being brought in.
  var latest = null;
  var bringing = null;

  function heard(status) {
    latest = status;
    if (status.version !== version) {
      if (!bringing) {
        bringing = bringIn().then(
          function () {
            bringing = null;
            if (latest && latest.version !== version) {
              heard(latest); // a newer page came while this one was brought in
            } else if (latest) {
              show(progressText(latest), latest.done, latest.total);
            }
          },
          function () {
            location.reload();
          }
        );
      }
      return;
    }
    show(progressText(status), status.done, status.total);
  }

  // The news pushed by the server as they happen; polling stays as the fallback (and, more
  // slowly, to say what is on screen) when the stream fails or the browser has none.
  var stream = null;

  function listen() {
    if (!window.EventSource) {
      return;
    }
    var shown = onScreen();
    stream = new EventSource("__EVENTS__" + (shown ? "?shown=" + encodeURIComponent(shown) : ""));
    stream.onmessage = function (message) {
      heard(JSON.parse(message.data));
    };
    stream.onerror = function () {
      if (stream) {
        stream.close(); // polling at its usual pace from now on
        stream = null;
      }
    };
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
        heard(status);
        setTimeout(poll, stream ? __STREAMED_POLL_MS__ : __POLL_MS__);
      })
      .catch(function () {
        if (!stream) {
          show("The preview server is not answering; is `python build.py serve` running?", 0, 0);
        }
        setTimeout(poll, 2000);
      });
  }

  // Loaded and decoded: shown at once, never as an empty frame, when its page is swapped in.
  function preloaded(source) {
    return new Promise(function (resolve) {
      var image = new Image();
      image.onload = function () {
        (image.decode ? image.decode() : Promise.resolve()).then(resolve, resolve);
      };
      image.onerror = resolve; // then the page shows its frame as before a reload would
      image.src = source;
    });
  }

  // The page now served, swapped in once all its pictures are ready; resolves after the
  // swap (and rejects if the page could not be fetched: then it is reloaded).
  function bringIn() {
    return fetch(location.pathname + location.search, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var images = page.querySelectorAll("img");
        var loads = [];
        for (var i = 0; i < images.length; i++) {
          images[i].loading = "eager"; // it is loaded already: no waiting until scrolled to
          var source = new URL(images[i].getAttribute("src"), location.href).href;
          loads.push(preloaded(source));
        }
        return Promise.all(loads).then(function () {
          swap(page);
        });
      });
  }

  // Replace this page's contents with `page`'s (its scripts run again, but for this one),
  // keeping the scroll position and the focus.
  function swap(page) {
    var tag = page.querySelector("script[data-version]");
    var x = window.scrollX;
    var y = window.scrollY;
    var focused = document.activeElement && document.activeElement.id;
    document.title = page.title;
    var children = Array.prototype.slice.call(document.body.childNodes);
    for (var i = 0; i < children.length; i++) {
      if (children[i] !== self) {
        document.body.removeChild(children[i]);
      }
    }
    var scripts = [];
    var incoming = Array.prototype.slice.call(page.body.childNodes);
    for (var j = 0; j < incoming.length; j++) {
      var node = document.adoptNode(incoming[j]);
      if (node.nodeName === "SCRIPT") {
        if (!node.hasAttribute("data-version")) {
          scripts.push(node.textContent);
        }
        continue;
      }
      document.body.insertBefore(node, self);
    }
    scripts.forEach(function (source) {
      var script = document.createElement("script");
      script.textContent = source;
      document.body.insertBefore(script, self);
    });
    placeNote();
    window.scrollTo(x, y);
    var again = focused && document.getElementById(focused);
    if (again) {
      again.focus({ preventScroll: true });
    }
    version = tag ? tag.dataset.version : version;
  }

  listen();
  setTimeout(poll, __POLL_MS__);
})();
