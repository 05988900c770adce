// The seeker's live chat. Without JavaScript the page still works (a form and a self-refreshing
// frame); with it, this script replaces the frame with a live transcript over a WebSocket, and
// falls back to polling when a socket cannot be opened. Every message carries a sequence number, so
// after a reload or a dropped connection we ask for "everything after N": nothing lost, nothing twice.
(function () {
  "use strict";
  var root = document.querySelector("[data-chat]");
  if (!root) { return; }

  var frame = root.querySelector("[data-chat-frame]");
  var statusBox = root.querySelector("[data-chat-status]");
  var transcriptBox = root.querySelector("[data-chat-transcript-box]");
  var transcript = root.querySelector("[data-chat-transcript]");
  var typingNote = root.querySelector("[data-chat-typing]");
  var form = root.querySelector("[data-chat-send]");
  var textarea = form.querySelector("textarea");
  var errorBox = root.querySelector("[data-chat-error]");
  var endButton = root.querySelector("[data-chat-end] button");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  // Switch from the no-JavaScript frame to the live transcript.
  if (frame) { frame.remove(); }
  transcriptBox.hidden = false;
  statusBox.hidden = false;

  var seen = {};
  var lastSeq = 0;
  transcript.querySelectorAll("[data-seq]").forEach(function (li) {
    var seq = parseInt(li.getAttribute("data-seq"), 10);
    seen[seq] = true;
    lastSeq = Math.max(lastSeq, seq);
  });
  scrollToEnd();

  var socket = null;
  var socketOpen = false;
  var failures = 0;
  var pollTimer = null;
  var pingTimer = null;
  var status = root.getAttribute("data-status");
  var refCounter = 0;
  var pending = {};

  function scrollToEnd() { transcriptBox.scrollTop = transcriptBox.scrollHeight; }

  var sendingNote = document.createElement("p");
  sendingNote.className = "meta";
  sendingNote.setAttribute("aria-live", "polite");
  textarea.insertAdjacentElement("afterend", sendingNote);

  function showSending() {
    sendingNote.textContent = Object.keys(pending).length ? "Sending…" : "";
  }

  function showError(text) {
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  }

  function addMessage(m) {
    if (seen[m.seq]) { return; }
    seen[m.seq] = true;
    lastSeq = Math.max(lastSeq, m.seq);
    var li = document.createElement("li");
    li.className = "msg msg--" + m.sender;
    li.setAttribute("data-seq", m.seq);
    var who = document.createElement("p");
    who.className = "msg__who";
    who.textContent = m.sender === "seeker" ? "You" : (m.sender === "staff" ? (m.author || "Helpline") : "Helpline");
    var time = document.createElement("time");
    time.setAttribute("datetime", m.at);
    var at = new Date(m.at);
    time.textContent = ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
    who.appendChild(document.createTextNode(" "));
    who.appendChild(time);
    var body = document.createElement("p");
    body.className = "msg__body";
    body.textContent = m.body;
    li.appendChild(who);
    li.appendChild(body);
    // Keep order even if an older message arrives late.
    var next = null;
    transcript.querySelectorAll("[data-seq]").forEach(function (other) {
      if (!next && parseInt(other.getAttribute("data-seq"), 10) > m.seq) { next = other; }
    });
    transcript.insertBefore(li, next);
    if (m.sender !== "seeker") { typingNote.hidden = true; }
    scrollToEnd();
  }

  function setText(parent, tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function renderStatus(state) {
    status = state.status;
    if (status === "ended") {
      window.location.assign(root.getAttribute("data-ended-url"));
      return;
    }
    statusBox.textContent = "";
    if (status === "waiting") {
      var main = setText(statusBox, "p", "chat-status__main", "You are ");
      var strong = document.createElement("strong");
      strong.textContent = "number " + state.position;
      main.appendChild(strong);
      main.appendChild(document.createTextNode(" in the queue."));
      if (state.estimate) { setText(statusBox, "p", "", state.estimate.text); }
      setText(statusBox, "p", "meta", "Please keep this page open. You can read our self-help pages in another tab without losing your place.");
    } else if (status === "offered") {
      setText(statusBox, "p", "chat-status__main", "A member of the team is about to join you.");
    } else if (status === "active") {
      setText(statusBox, "p", "chat-status__main", "You are chatting with " + (state.staff || "a member of the team") + ".");
    }
    endButton.textContent = status === "active" ? "End chat" : "Leave the queue";
    root.setAttribute("data-status", status);  // other scripts on the page (the queue notice) read it
  }

  function handle(frame) {
    switch (frame.type) {
      case "state": renderStatus(frame); break;
      case "queue":
        if (status === "waiting") { renderStatus({ status: "waiting", position: frame.position, estimate: frame.estimate }); }
        break;
      case "history": frame.messages.forEach(addMessage); break;
      case "message": addMessage(frame.message); break;
      case "typing":
        typingNote.hidden = false;
        clearTimeout(typingNote.timer);
        typingNote.timer = setTimeout(function () { typingNote.hidden = true; }, 5000);
        break;
      case "sent":
        if (pending[frame.ref] !== undefined) {
          if (textarea.value === pending[frame.ref]) { textarea.value = ""; }
          delete pending[frame.ref];
        }
        showSending();
        showError("");
        break;
      case "error":
        if (frame.ref !== null && frame.ref !== undefined) { delete pending[frame.ref]; showSending(); }
        showError(frame.message);
        if (frame.code === "no_chat") { window.location.assign(root.getAttribute("data-ended-url")); }
        break;
    }
  }

  // --- socket, with polling as the fallback -----------------------------------------------
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + window.location.host + root.getAttribute("data-socket-path"));
    } catch (e) {
      onSocketLost();
      return;
    }
    socket.onopen = function () {
      socketOpen = true;
      failures = 0;
      stopPolling();
      socket.send(JSON.stringify({ type: "hello", after: lastSeq }));
      // Messages not yet confirmed go again with the same reference; the server stores each once.
      Object.keys(pending).forEach(function (ref) {
        socket.send(JSON.stringify({ type: "message", body: pending[ref], ref: ref }));
      });
      clearInterval(pingTimer);
      // Keeps the connection open through proxies; the server checks the seeker in while it is open.
      pingTimer = setInterval(function () { send({ type: "ping" }); }, 20000);
    };
    socket.onmessage = function (event) {
      try { handle(JSON.parse(event.data)); } catch (e) { /* ignore a frame we cannot read */ }
    };
    socket.onclose = function () { onSocketLost(); };
  }

  function onSocketLost() {
    var wasOpen = socketOpen;
    socketOpen = false;
    clearInterval(pingTimer);
    if (status === "ended") { return; }
    failures += 1;
    if (!wasOpen && failures >= 2) { startPolling(); }
    var delay = Math.min(15000, 1000 * Math.pow(2, Math.min(failures, 4)));
    setTimeout(connect, delay);
  }

  function send(frame) {
    if (socketOpen) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function poll() {
    fetch(root.getAttribute("data-poll-url") + "?after=" + lastSeq, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.messages.forEach(addMessage);
        renderStatus(data);
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }

  function startPolling() {
    if (pollTimer) { return; }
    poll();
    pollTimer = setInterval(poll, 3000);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  // --- sending -----------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = textarea.value;
    if (!body.trim()) { showError("Please type a message before sending."); return; }
    refCounter += 1;
    var ref = "m" + Date.now().toString(36) + refCounter + Math.random().toString(36).slice(2, 8);
    pending[ref] = body;
    showSending();
    if (send({ type: "message", body: body, ref: ref })) {
      setTimeout(function () {
        if (pending[ref] === undefined || !socketOpen) { return; }
        // No answer: the connection has probably stalled. Reconnect; the message goes again.
        showError("Your message has not been confirmed yet. It is still in the box; we are reconnecting and will send it again.");
        socket.close();
      }, 8000);
      return;
    }
    var data = new FormData();
    data.append("body", body);
    data.append("ref", ref);
    data.append("csrfmiddlewaretoken", csrf);
    fetch(root.getAttribute("data-send-url"), { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (json) { return { ok: r.ok, json: json }; }); })
      .then(function (result) {
        if (result.ok) { handle({ type: "sent", ref: ref }); poll(); }
        else { delete pending[ref]; showSending(); showError(result.json.error || "Your message was not sent. Please try again."); }
      })
      .catch(function () { delete pending[ref]; showSending(); showError("Your message was not sent because the connection dropped. It is still in the box: please try again."); });
  });

  var lastTyping = 0;
  textarea.addEventListener("input", function () {
    var now = Date.now();
    if (status === "active" && now - lastTyping > 3000) {
      lastTyping = now;
      send({ type: "typing" });
    }
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  window.addEventListener("online", function () { if (!socketOpen) { connect(); } poll(); });

  connect();
}());
