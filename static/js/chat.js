// The seeker's live chat. Without JavaScript the page still works (a form and a self-refreshing
// frame); with it, this script replaces the frame with a live transcript over a WebSocket, and
// falls back to polling when a socket cannot be opened. Every message carries a sequence number, so
// after a reload or a dropped connection we ask for "everything after N": nothing lost, nothing twice.
// The socket, the polling, the order of messages, gaps and the periodic catch-up are
// live-transcript.js's (shared with the staff console); here: what the seeker sees and sends. The
// poll address answers with the chat's state too, so catching up also finds a lost "someone joined".
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

  var messages = LiveTranscript.transcript(transcript, {
    draw: drawMessage,
    shown: function (added) {
      if (added.some(function (m) { return m.sender !== "seeker"; })) { typingNote.hidden = true; }
      scrollToEnd();
    },
    load: load,
    loaded: renderStatus
  });
  scrollToEnd();

  var live = null;  // the connection (none for a chat drawn ended)
  var status = root.getAttribute("data-status");
  var finished = false;
  var refCounter = 0;
  var pending = {};
  var shownStatus = "";

  function scrollToEnd() { transcriptBox.scrollTop = transcriptBox.scrollHeight; }

  var sendingNote = document.createElement("p");
  sendingNote.className = "meta";
  sendingNote.setAttribute("aria-live", "polite");
  textarea.insertAdjacentElement("afterend", sendingNote);

  function showSending() {
    sendingNote.textContent = Object.keys(pending).length ? say("chat.sending") : "";
  }

  function showError(text) {
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  }

  function drawMessage(m) {
    var li = document.createElement("li");
    li.className = "msg msg--" + m.sender;
    var who = document.createElement("p");
    who.className = "msg__who";
    who.textContent = m.sender === "seeker" ? say("chat.you") : (m.sender === "staff" ? (m.author || say("chat.helpline")) : say("chat.helpline"));
    var time = document.createElement("time");
    time.setAttribute("datetime", m.at);
    time.textContent = LiveTranscript.timeLabel(m.at);
    who.appendChild(document.createTextNode(" "));
    who.appendChild(time);
    var body = document.createElement("p");
    body.className = "msg__body";
    body.textContent = m.body;
    li.appendChild(who);
    li.appendChild(body);
    return li;
  }

  // "Anything after N?" from the poll address, which also says where the chat stands. Null when the
  // connection is down for a moment: the next tick tries again.
  function load(after) {
    return fetch(root.getAttribute("data-poll-url") + "?after=" + after, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .catch(function () { return null; });
  }

  // The page's words, in its language (static/js/texts.js; helpline/chat/js_texts.py).
  function say(key, values) {
    return window.openDoorText ? window.openDoorText(key, values) : key;
  }

  // A sentence with one part in <strong> ("You are <strong>number 3</strong> in the queue."), drawn as
  // text nodes: the translation decides where the strong part falls, and nothing is parsed as HTML.
  function setStrongText(parent, className, text) {
    var el = document.createElement("p");
    if (className) { el.className = className; }
    var open = text.indexOf("<strong>");
    var close = text.indexOf("</strong>");
    if (open < 0 || close < open) {
      el.textContent = text.replace(/<\/?strong>/g, "");
    } else {
      el.appendChild(document.createTextNode(text.slice(0, open)));
      var strong = document.createElement("strong");
      strong.textContent = text.slice(open + 8, close);
      el.appendChild(strong);
      el.appendChild(document.createTextNode(text.slice(close + 9)));
    }
    parent.appendChild(el);
    return el;
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
      setStrongText(statusBox, "chat-status__main", say("chat.position", { position: state.position }));
      if (state.estimate) { setText(statusBox, "p", "", state.estimate.text); }
      setText(statusBox, "p", "meta", say("chat.waitingHint"));
    } else if (status === "offered") {
      setText(statusBox, "p", "chat-status__main", say("chat.offered"));
    } else if (status === "active") {
      setStrongText(statusBox, "chat-status__main", say("chat.chattingWith", { name: state.staff || say("chat.someone") }));
    }
    endButton.textContent = status === "active" ? say("chat.endChat") : say("chat.leaveQueue");
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
    if (live) { live.stop(); }
    messages.stop();
    statusBox.textContent = "";
    var main = setText(statusBox, "p", "chat-status__main", "");
    setText(main, "strong", "", say("chat.ended"));
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
    load(messages.lastSeq)
      .then(function (data) {
        if (!data) { throw new Error("offline"); }
        messages.add(data.messages, true);
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
    var today;
    try {
      today = new Date().toLocaleDateString(document.documentElement.lang || "en-GB", { day: "numeric", month: "long", year: "numeric" });
    } catch (error) {  // a language the browser's date formats lack
      today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    }
    var link = after.querySelector("[data-copy-download]");
    var lines = [say("chat.copyTitle", { date: today }), link.getAttribute("data-copy-note"), ""];
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
        note.textContent = say("chat.feedbackDropped");
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
    confirmTitle.textContent = waiting ? say("chat.confirmLeaveTitle") : say("chat.confirmEndTitle");
    confirmText.textContent = waiting ? say("chat.confirmLeaveText") : say("chat.confirmEndText");
    yesButton.textContent = waiting ? say("chat.yesLeave") : say("chat.yesEnd");
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
        showError(say("chat.endDropped"));
      });
  });

  function handle(frame) {
    switch (frame.type) {
      case "state": renderStatus(frame); break;
      case "queue":
        if (status === "waiting") { renderStatus({ status: "waiting", position: frame.position, estimate: frame.estimate }); }
        break;
      case "history": messages.add(frame.messages, true); break;  // the answer to "hello"
      case "message":
        messages.add([frame.message]);  // one before it never came: fetched at once
        // A message while this page still shows the queue: the news that someone joined was lost.
        if (status === "waiting") { lookAgain(); }
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
        if (typeof frame.seq === "number") { messages.expect(frame.seq); }
        break;
      case "error":
        if (frame.ref !== null && frame.ref !== undefined) { delete pending[frame.ref]; showSending(); }
        if (frame.code === "no_chat") { finish(); break; }  // it ended while we were away
        showError(frame.message);
        break;
    }
  }

  // --- socket, with polling as the fallback (live-transcript.js) ---------------------------------
  function send(frame) { return live.send(frame); }

  // "Anything after N?", with the chat's state: a message or a change (someone joined, the chat ended)
  // whose event was lost. Also each tick of the polling while the socket is down.
  function lookAgain() {
    if (!finished) { messages.fill(); }
  }

  live = LiveTranscript.connection({
    path: root.getAttribute("data-socket-path"),
    pingMs: 20000,  // keeps the connection open through proxies; the server checks the seeker in
    pollMs: 3000,
    pollAfter: 2,  // a socket that drops is tried once more before the page starts polling
    opened: function () {
      send({ type: "hello", after: messages.lastSeq });
      // Messages not yet confirmed go again with the same reference; the server stores each once.
      Object.keys(pending).forEach(function (ref) {
        send({ type: "message", body: pending[ref], ref: ref });
      });
    },
    frame: handle,
    poll: lookAgain,
    // Waiting seekers are told their place by the socket, and ask only on a gap.
    catchUp: function () { if (status !== "waiting") { lookAgain(); } }
  });

  // --- sending -----------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (finished) { showError(say("chat.endedNotSent")); return; }
    var body = textarea.value;
    if (!body.trim()) { showError(say("chat.empty")); return; }
    refCounter += 1;
    var ref = "m" + Date.now().toString(36) + refCounter + Math.random().toString(36).slice(2, 8);
    pending[ref] = body;
    showSending();
    if (send({ type: "message", body: body, ref: ref })) {
      setTimeout(function () {
        if (pending[ref] === undefined || !live.open) { return; }
        // No answer: the connection has probably stalled. Reconnect; the message goes again.
        showError(say("chat.unconfirmed"));
        live.restart();
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
        if (result.ok) { handle({ type: "sent", ref: ref }); lookAgain(); return; }
        delete pending[ref];
        showSending();
        if (result.json.code === "ended") { finish(); return; }  // the page says so, and keeps the words
        showError(result.json.error || say("chat.notSent"));
      })
      .catch(function () { delete pending[ref]; showSending(); showError(say("chat.sendDropped")); });
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

  live.connect();
}());
