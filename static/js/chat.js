// The seeker's live chat. Without JavaScript the page still works (a form and a self-refreshing
// frame); with it, this script replaces the frame with a live transcript over a WebSocket, and
// falls back to polling when a socket cannot be opened. Every message carries a sequence number, so
// after a reload or a dropped connection we ask for "everything after N": nothing lost, nothing twice.
// While connected too: a message whose number skips one shows that an event was lost (the server's
// Redis restarting as it was sent; the message itself is stored), and the page fetches what it missed
// at once. An event lost with no later message to show the gap is caught by asking the server now and
// then, and whenever the page comes back into view, where the chat stands (CATCH_UP_MS).
//
// The end of a conversation belongs to the seeker: when the chat ends, this page stays where it is.
// The closing words stay, anything typed and not sent stays in the box, and what comes next (drawn by
// the server, fetched once) appears below. Nothing navigates away by itself.
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
  var sendButton = form.querySelector("[data-chat-send-button]");
  var errorBox = root.querySelector("[data-chat-error]");
  var endedNote = root.querySelector("[data-chat-ended-note]");
  var endBox = root.querySelector("[data-chat-end]");
  var endButton = root.querySelector("[data-chat-end-button]");
  var confirmBox = root.querySelector("[data-chat-end-confirm]");
  var confirmTitle = confirmBox.querySelector("[data-end-confirm-title]");
  var confirmText = confirmBox.querySelector("[data-end-confirm-text]");
  var yesButton = confirmBox.querySelector("[data-end-yes]");
  var noButton = confirmBox.querySelector("[data-end-no]");
  var after = root.querySelector("[data-chat-after]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  // Switch from the no-JavaScript frame to the live transcript.
  if (frame) { frame.remove(); }
  transcriptBox.hidden = false;
  statusBox.hidden = false;

  var CATCH_UP_MS = 25000;
  var OWN_MESSAGE_MS = 2000;  // "sent" came, but not the message itself: look for it after this long
  var seen = {};
  var lastSeq = 0;  // every message up to this one is shown (the page asks for "anything after" it)
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
  var finished = false;
  var refCounter = 0;
  var pending = {};
  var catchUpTimer = null;
  var polling = false;
  var shownStatus = "";

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
    while (seen[lastSeq + 1]) { lastSeq += 1; }
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
    if (finished) { return; }
    if (state.status === "ended") { finish(); return; }
    // The status box is a live region: the same words drawn again would be read out again.
    var shown = [state.status, state.position, state.estimate && state.estimate.text, state.staff].join("|");
    if (shown === shownStatus) { return; }
    shownStatus = shown;
    status = state.status;
    statusBox.textContent = "";
    if (status === "waiting") {
      var main = setText(statusBox, "p", "chat-status__main", "You are ");
      var strong = document.createElement("strong");
      strong.textContent = "number " + state.position;
      main.appendChild(strong);
      main.appendChild(document.createTextNode(" in the queue."));
      if (state.estimate) { setText(statusBox, "p", "", state.estimate.text); }
      setText(statusBox, "p", "meta", "You can send messages once someone has joined you. Please keep this page open; you can read our self-help pages in another tab without losing your place.");
    } else if (status === "offered") {
      setText(statusBox, "p", "chat-status__main", "A member of the team is about to join you.");
    } else if (status === "active") {
      setText(statusBox, "p", "chat-status__main", "You are chatting with " + (state.staff || "a member of the team") + ".");
    }
    endButton.textContent = status === "active" ? "End chat" : "Leave the queue";
    root.setAttribute("data-status", status);  // other scripts on the page (the queue notice) read it
  }

  // --- the end -------------------------------------------------------------------------------
  // The page changes in place: said at once in the status (a polite live region, so a screen reader
  // reads it out without losing its place), then the last look fetches anything not yet shown and the
  // server's words for the end (why it ended, what next, a copy, the questions).
  function finish() {
    if (finished) { return; }
    finished = true;
    status = "ended";
    root.setAttribute("data-status", "ended");
    root.classList.add("chat--ended");
    stopPolling();
    clearInterval(pingTimer);
    clearInterval(catchUpTimer);
    if (socket && socketOpen) { socket.close(); }
    statusBox.textContent = "";
    var main = setText(statusBox, "p", "chat-status__main", "");
    setText(main, "strong", "", "This chat has ended.");
    // The words not sent stay where they are, readable and copyable; nothing more can be sent.
    textarea.readOnly = true;
    textarea.setAttribute("aria-describedby", "chat-error chat-hint chat-ended-note");
    sendButton.disabled = true;
    endedNote.hidden = false;
    Object.keys(pending).forEach(function (ref) { delete pending[ref]; });
    showSending();
    endBox.hidden = true;
    confirmBox.hidden = true;
    typingNote.hidden = true;
    document.querySelectorAll("[data-queue-notice], [data-chat-alongside]").forEach(function (el) { el.hidden = true; });
    lastLook(0);
  }

  function lastLook(attempt) {
    fetch(root.getAttribute("data-poll-url") + "?after=" + lastSeq, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        (data.messages || []).forEach(addMessage);
        if (data.status_html) {
          // The first line is already there (and was read out): add only the reason after it.
          var holder = document.createElement("div");
          holder.innerHTML = data.status_html;
          holder.querySelectorAll("p").forEach(function (p, i) { if (i > 0) { statusBox.appendChild(p); } });
        }
        if (data.after_html) { after.innerHTML = data.after_html; }
        showAfter();
      })
      .catch(function () {
        showAfter();  // what the page was drawn with, until the connection comes back
        if (attempt < 20) { setTimeout(function () { lastLook(attempt + 1); }, 3000); }
      });
  }

  function showAfter() {
    after.hidden = false;
    after.querySelectorAll("[data-copy-print]").forEach(function (b) { b.hidden = false; });
    after.querySelectorAll("[data-copy-print-hint]").forEach(function (p) { p.hidden = true; });
  }

  // --- keep a copy: made here, from the page; the server is not asked and stores nothing --------
  function copyText() {
    var today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    var link = after.querySelector("[data-copy-download]");
    var lines = ["Your conversation, " + today, link.getAttribute("data-copy-note"), ""];
    transcript.querySelectorAll("[data-seq]").forEach(function (li) {
      var whoLine = li.querySelector(".msg__who");
      var time = whoLine.querySelector("time");
      var who = whoLine.firstChild ? whoLine.firstChild.textContent.trim() : "";
      var body = li.querySelector(".msg__body").textContent.replace(/\r\n/g, "\n").replace(/\n/g, "\n    ");
      lines.push("[" + (time ? time.textContent.trim() : "") + "] " + who + ": " + body);
    });
    return lines.join("\n") + "\n";
  }

  function downloadCopy(link) {
    var blob = new Blob([copyText()], { type: "text/plain;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var save = document.createElement("a");
    save.href = url;
    save.download = link.getAttribute("data-copy-name");
    save.hidden = true;
    document.body.appendChild(save);
    save.click();
    save.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  after.addEventListener("click", function (event) {
    var link = event.target.closest("[data-copy-download]");
    if (link) { event.preventDefault(); downloadCopy(link); return; }
    if (event.target.closest("[data-copy-print]")) { window.print(); }
  });

  // --- three optional answers, sent without leaving the page (the words in the box stay) -------
  after.addEventListener("submit", function (event) {
    var feedback = event.target.closest("[data-feedback]");
    if (!feedback) { return; }
    event.preventDefault();
    var box = after.querySelector("[data-feedback-box]");
    var button = feedback.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(feedback.action, { method: "POST", body: new FormData(feedback), credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        box.innerHTML = data.html;
        var said = box.querySelector("[data-feedback-thanks], [role=alert]");
        if (said) { said.setAttribute("tabindex", "-1"); said.focus(); }
      })
      .catch(function () {
        button.disabled = false;
        var note = box.querySelector("[data-feedback-offline]") || setText(box, "p", "notice notice--warn", "");
        note.setAttribute("data-feedback-offline", "");
        note.setAttribute("role", "alert");
        note.textContent = "Your answers were not sent because the connection dropped. Please try again.";
      });
  });

  if (status === "ended") {
    // Drawn ended by the server: nothing to connect to. The copy and the questions still work here.
    finished = true;
    showAfter();
    return;
  }

  // --- ending asks once, in the page ------------------------------------------------------------
  function askToEnd() {
    var waiting = status !== "active";
    confirmTitle.textContent = waiting ? "Leave the queue?" : "End this chat?";
    confirmText.textContent = waiting
      ? "You will lose your place in the queue. You can start a new chat at any time we are open, or write us a secure message instead."
      : "Your conversation stays on this page, so you can read it, keep a copy or tell us how it went.";
    yesButton.textContent = waiting ? "Yes, leave the queue" : "Yes, end it";
    confirmBox.hidden = false;
    confirmBox.focus();
  }

  function keepChatting() {
    confirmBox.hidden = true;
    endButton.focus();
  }

  // Without JavaScript this button posts the message form to the question page; here it asks in place.
  endButton.addEventListener("click", function (event) { event.preventDefault(); askToEnd(); });
  noButton.addEventListener("click", keepChatting);
  confirmBox.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); keepChatting(); }
  });
  yesButton.addEventListener("click", function () {
    yesButton.disabled = true;
    var data = new FormData();
    data.append("step", "yes");
    data.append("csrfmiddlewaretoken", csrf);
    fetch(root.getAttribute("data-end-url"), { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("not ended"); }
        finish();
      })
      .catch(function () {
        yesButton.disabled = false;
        showError("The chat could not be ended because the connection dropped. Please try again.");
      });
  });

  function handle(frame) {
    switch (frame.type) {
      case "state": renderStatus(frame); break;
      case "queue":
        if (status === "waiting") { renderStatus({ status: "waiting", position: frame.position, estimate: frame.estimate }); }
        break;
      case "history": frame.messages.forEach(addMessage); break;
      case "message":
        addMessage(frame.message);
        // One before it never came; or a message while this page still shows the queue: the news
        // that someone joined was lost.
        if (frame.message.seq > lastSeq || status === "waiting") { catchUp(); }
        break;
      case "typing":
        if (finished) { break; }
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
        if (typeof frame.seq === "number") { expectMessage(frame.seq); }
        break;
      case "error":
        if (frame.ref !== null && frame.ref !== undefined) { delete pending[frame.ref]; showSending(); }
        if (frame.code === "no_chat") { finish(); break; }  // it ended while we were away
        showError(frame.message);
        break;
    }
  }

  // --- socket, with polling as the fallback -----------------------------------------------
  function connect() {
    if (finished) { return; }
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
      clearInterval(catchUpTimer);
      catchUpTimer = setInterval(function () { if (status !== "waiting") { catchUp(); } }, CATCH_UP_MS);
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
    clearInterval(catchUpTimer);
    if (finished) { return; }
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
    if (polling || finished) { return; }
    polling = true;
    fetch(root.getAttribute("data-poll-url") + "?after=" + lastSeq, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        polling = false;
        data.messages.forEach(addMessage);
        renderStatus(data);
      })
      .catch(function () { polling = false; /* offline for a moment: try again on the next tick */ });
  }

  // "Anything after N?", with the chat's state: a message or a change (someone joined, the chat ended)
  // whose event was lost. Waiting seekers are told their place by the socket, and ask only on a gap.
  function catchUp() {
    if (!finished) { poll(); }
  }

  // The server numbered the seeker's own message `seq`; its event normally follows within a moment.
  function expectMessage(seq) {
    if (seen[seq]) { return; }
    setTimeout(function () { if (!seen[seq]) { catchUp(); } }, OWN_MESSAGE_MS);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && socketOpen && status !== "waiting") { catchUp(); }
  });

  function startPolling() {
    if (pollTimer || finished) { return; }
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
    if (finished) { showError("This chat has ended, so your message was not sent. It is still in the box below, if you want to copy it."); return; }
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
        if (result.ok) { handle({ type: "sent", ref: ref }); poll(); return; }
        delete pending[ref];
        showSending();
        if (result.json.code === "ended") { finish(); return; }  // the page says so, and keeps the words
        showError(result.json.error || "Your message was not sent. Please try again.");
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
      if (!finished) { form.requestSubmit(); }
    }
  });

  window.addEventListener("online", function () { if (!socketOpen) { connect(); } if (!finished) { poll(); } });

  connect();
}());
