// Quick exit: leave for a neutral site and replace this page in the tab's history, so the Back
// button does not bring it back. Works as a plain link without JavaScript.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit-link]");
  if (!link) { return; }
  var target = link.getAttribute("href");

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.documentElement.style.visibility = "hidden";
    window.location.replace(target);
  }

  link.addEventListener("click", leave);

  // Esc pressed twice, or Shift three times, within a short time also leaves.
  var WINDOW_MS = 1200;
  var presses = { Escape: [], Shift: [] };
  var needed = { Escape: 2, Shift: 3 };
  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if (!(key in presses) || event.repeat) { return; }
    var now = Date.now();
    presses[key] = presses[key].filter(function (t) { return now - t < WINDOW_MS; });
    presses[key].push(now);
    if (presses[key].length >= needed[key]) { leave(event); }
  });
}());
