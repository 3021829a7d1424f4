/* An import's page while the import runs: asks for the changing part of the page every
   few seconds, puts it in place, and says how far the import is in the page's status
   region (read out politely); stops once the import is over. Without this file the
   page's "Refresh" link does the same by hand: no meta refresh reloads the page under
   the reader's feet (WCAG 2.2.1). */
(function () {
  "use strict";
  var EVERY = 3000;
  var box = document.getElementById("import-status");
  var live = document.getElementById("import-announce");
  if (!window.fetch || !box || !live) { return; }
  var url = box.getAttribute("data-progress-url");
  var said = "";

  function running() { return box.querySelector("[data-running]") !== null; }

  function announce() {
    var note = box.querySelector(".import-announcement");
    var text = note ? note.textContent.replace(/\s+/g, " ").trim() : "";
    if (text && text !== said) {
      said = text;
      live.textContent = text;
    }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        box.innerHTML = html;
        announce();
        if (running()) {
          window.setTimeout(poll, EVERY);
        } else {
          var refresh = document.querySelector(".import-refresh");
          if (refresh) { refresh.hidden = true; }
        }
      })
      .catch(function () { /* the "Refresh" link still works */ });
  }

  if (running()) { window.setTimeout(poll, EVERY); }
})();
