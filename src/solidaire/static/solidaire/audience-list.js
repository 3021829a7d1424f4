/* Audiences list: counts the audiences the page left uncounted, one request each, one
   after the other. Without this file each "Count" link opens the audience's page. */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-count-url]"));

  function next() {
    var link = links.shift();
    if (!link) { return; }
    fetch(link.getAttribute("data-count-url"),
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (answer) {
        link.parentNode.textContent = answer.text;
        next();
      })
      .catch(function () { /* the link still opens the audience's page */ });
  }
  next();
})();
