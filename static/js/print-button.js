// The printable exercise page works without JavaScript (the browser's own Print command); with it,
// a button does the same.
(function () {
  "use strict";
  var tools = document.querySelector("[data-print-tools]");
  var button = document.querySelector("[data-print-button]");
  if (!tools || !button) { return; }
  tools.hidden = false;
  button.addEventListener("click", function () { window.print(); });
}());
