/* Audience builder: count again as filters change. Without this file the Count button does it. */
(function () {
  "use strict";
  var form = document.querySelector("form.audience-builder[data-count-url]");
  var output = document.getElementById("audience-count");
  if (!form || !output || !window.fetch || !window.URLSearchParams) { return; }
  var saved = document.querySelector("form.audience-save input[name=definition]");
  var timer = null;
  var asked = 0;

  function count() {
    var ticket = ++asked;
    var query = new URLSearchParams(new FormData(form)).toString();
    fetch(form.getAttribute("data-count-url") + "?" + query,
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        // Only the answer to the latest change is shown.
        if (ticket !== asked) { return; }
        output.textContent = "";
        var text = document.createElement(answer.errors ? "span" : "strong");
        text.textContent = answer.errors ? answer.errors.join(" ") : answer.text;
        output.appendChild(text);
        if (saved && answer.definition) { saved.value = answer.definition; }
        window.history.replaceState(null, "", form.getAttribute("action") + "?" + query);
      })
      .catch(function () { /* offline: the Count button still works */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(count, 300);
  }
  form.addEventListener("change", later);
  form.addEventListener("input", later);
})();
