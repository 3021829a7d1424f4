/* Check-in: find a person as you type. Without this file the search is a plain GET form. */
(function () {
  "use strict";
  var form = document.querySelector("form.checkin-search[data-results]");
  var results = document.getElementById("checkin-results");
  if (!form || !results || !window.fetch) { return; }
  var input = form.querySelector("input[name=q]");
  var timer = null;
  var asked = 0;

  function load() {
    var query = input.value.trim();
    var ticket = ++asked;
    var url = form.getAttribute("data-results") + "?" + new URLSearchParams({q: query});
    fetch(url, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        // Only the answer to the last thing typed replaces the list.
        if (html === null || ticket !== asked) { return; }
        results.innerHTML = html;
        var address = form.getAttribute("action") + (query ? "?" + new URLSearchParams({q: query}) : "");
        window.history.replaceState(null, "", address);
      })
      .catch(function () { /* offline: the Search button still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    load();
  });
})();
