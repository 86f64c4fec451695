// SafeRelay console: the few things a page does by itself. Every action is also a
// plain form, so the console works without this script.
(function () {
  "use strict";

  // The queue refreshes itself: a cheap conditional request every 2 seconds; the
  // server answers 304 while nothing changed.
  var table = document.querySelector("[data-poll]");
  if (table) {
    var note = document.querySelector("[data-live-note]");
    if (note) note.hidden = false;
    var etag = null;
    var poll = function () {
      var headers = {};
      if (etag) headers["If-None-Match"] = etag;
      fetch(table.getAttribute("data-poll"), { headers: headers, cache: "no-store", credentials: "same-origin" })
        .then(function (res) {
          if (res.status === 401) { window.location.reload(); return null; }
          if (res.status !== 200) return null;
          etag = res.headers.get("ETag");
          return res.text();
        })
        .then(function (html) {
          if (!html) return;
          var old = document.getElementById("queue-rows");
          var parsed = new DOMParser().parseFromString("<table>" + html + "</table>", "text/html");
          var fresh = parsed.getElementById("queue-rows");
          if (old && fresh) old.replaceWith(document.importNode(fresh, true));
        })
        .catch(function () {})
        .then(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 2000);
  }

  var kase = document.querySelector(".case");
  if (kase) {
    var csrf = kase.getAttribute("data-csrf") || "";
    var staying = false;
    document.addEventListener("submit", function () { staying = true; });
    document.querySelectorAll("[data-stay]").forEach(function (a) {
      a.addEventListener("click", function () { staying = true; });
    });

    // The claim stays alive while the page is open.
    var beat = kase.getAttribute("data-heartbeat");
    if (beat) {
      window.setInterval(function () {
        fetch(beat, {
          method: "POST",
          body: new URLSearchParams({ csrf: csrf }),
          credentials: "same-origin",
          cache: "no-store"
        }).catch(function () {});
      }, 60000);
    }

    // Leaving the case releases the claim (not when a form of this page is sent).
    var release = kase.getAttribute("data-release");
    if (release) {
      window.addEventListener("pagehide", function () {
        if (!staying && navigator.sendBeacon) {
          navigator.sendBeacon(release, new URLSearchParams({ csrf: csrf }));
        }
      });
    }

    // A revealed contact is hidden again after three minutes.
    var hide = kase.getAttribute("data-reveal-hide");
    if (hide) {
      window.setTimeout(function () { staying = true; window.location.replace(hide); }, 180000);
    }
  }
})();
