// The passphrase page works without JavaScript: the words sit in a read-only box the person can
// select and copy. With JavaScript, clicking the box selects every word and a button copies them.
// The words are never sent anywhere or stored by this script.
(function () {
  "use strict";
  var box = document.querySelector("[data-passphrase]");
  var tools = document.querySelector("[data-copy-tools]");
  var button = document.querySelector("[data-copy-passphrase]");
  var status = document.querySelector("[data-copy-status]");
  if (!box || !tools || !button) { return; }

  function selectAll() { box.focus(); box.select(); box.setSelectionRange(0, box.value.length); }
  box.addEventListener("focus", selectAll);
  box.addEventListener("click", selectAll);

  function done(ok) {
    if (status) {
      // The words come from the page, in its language (templates/_js_texts.html, static/js/texts.js).
      status.textContent = window.openDoorText(ok ? "inbox.passphrase.copied" : "inbox.passphrase.copy_failed");
    }
  }

  tools.hidden = false;
  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(function () { done(true); }, function () { done(false); });
      return;
    }
    selectAll();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    done(ok);
  });
}());
