// For someone waiting in the chat queue with JavaScript on (the live socket replaces the refreshing
// frame that carries this notice without JavaScript): now and then, ask whether we are closing or the
// wait looks long, and say so with the secure-message route. The answer holds no personal data.
(function () {
  "use strict";
  var box = document.querySelector("[data-queue-notice]");
  var chat = document.querySelector("[data-chat]");
  if (!box || !chat) { return; }
  var text = box.querySelector("[data-queue-notice-text]");
  var url = box.getAttribute("data-notice-url");
  var EVERY_MS = 30000;

  function waiting() {
    return chat.getAttribute("data-status") === "waiting";
  }

  // The notice is about the queue: it goes as soon as someone joins (chat.js updates data-status).
  new MutationObserver(function () { if (!waiting()) { box.hidden = true; } })
    .observe(chat, { attributes: true, attributeFilter: ["data-status"] });

  function check() {
    if (!waiting()) { box.hidden = true; return; }
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : { notice: "" }; })
      .then(function (data) {
        text.textContent = data.notice || "";
        box.hidden = !data.notice;
      })
      .catch(function () { /* a missed check is harmless: the next one follows */ });
  }

  check();
  window.setInterval(check, EVERY_MS);
}());
