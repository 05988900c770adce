// Staff console, supervisor board and transcript pages: live updates for pages that already work as
// plain forms. A WebSocket (/staff/ws/) carries events, messages and typing; when it cannot connect,
// the page polls the same JSON endpoints the forms post to, and keeps trying the socket with backoff.
// Messages are de-duplicated by their sequence number, and a gap is filled by asking for history, so
// nothing is lost and nothing shows twice. Message text is only ever placed with textContent.
// An event can be lost outright (the server's Redis restarting as it was published; the message is
// stored all the same): with no later message to show the gap, the console still asks the server now
// and then, and whenever the tab comes back into view, where each chat stands (CATCH_UP_MS).
(function () {
  "use strict";

  var PING_MS = 15000;
  var POLL_MS = 4000;
  var BOARD_REFRESH_MS = 10000;
  var TYPING_SEND_MS = 3000;
  var TYPING_SHOW_MS = 6000;
  var MAX_BACKOFF_MS = 30000;
  var CATCH_UP_MS = 25000;
  var HISTORY_ANSWER_MS = 10000; // a history request not answered by then is asked again
  var OWN_MESSAGE_MS = 2000; // "sent" came, but not the message itself: ask for it after this long
  var KEEP_SIGNED_IN_MS = 5 * 60 * 1000;
  var HEX_ID = /^[0-9a-f]{32}$/;

  var consoleRoot = document.querySelector("[data-staff-console]");
  var boardRoot = document.querySelector("[data-supervisor-board]");
  var transcriptRoot = document.querySelector("[data-transcript-page]");
  var root = consoleRoot || boardRoot;
  if (!root && !transcriptRoot) { return; }

  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrfToken = csrfInput ? csrfInput.value : "";
  var baseTitle = document.title;
  var placeholder = root ? root.getAttribute("data-placeholder") || "" : "";
  var placeholderHex = placeholder.replace(/-/g, "");
  var serverOffset = 0; // server clock minus this browser's clock, for offer countdowns
  var stopped = false;

  // --- small helpers -------------------------------------------------------------------------

  function one(selector, scope) { return (scope || document).querySelector(selector); }
  function all(selector, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(selector)); }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function dashed(hex) {
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function urlFor(attribute, hex) {
    return (root || transcriptRoot).getAttribute(attribute).replace(placeholder, dashed(hex));
  }

  function waitWords(seconds) {
    if (seconds === null || seconds === undefined || isNaN(seconds)) { return "nobody waiting"; }
    seconds = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    if (!minutes) { return rest + " s"; }
    return minutes + " min " + (rest < 10 ? "0" : "") + rest + " s";
  }

  function clock(iso) {
    var moment = new Date(iso);
    if (isNaN(moment.getTime())) { return ""; }
    var minutes = moment.getMinutes();
    return moment.getHours() + ":" + (minutes < 10 ? "0" : "") + minutes; // as the server writes it: 14:05
  }

  // Sessions end after a spell of inactivity. Socket frames do not count as activity for the
  // session, so someone busy in a chat has it renewed with a light request every few minutes.
  var lastActivityAt = Date.now();
  var lastCallAt = Date.now();
  ["keydown", "pointerdown"].forEach(function (kind) {
    document.addEventListener(kind, function () { lastActivityAt = Date.now(); }, true);
  });

  function keepSignedIn() {
    var now = Date.now();
    if (now - lastActivityAt < KEEP_SIGNED_IN_MS && now - lastCallAt > KEEP_SIGNED_IN_MS) { syncState(); }
  }

  // Every HTTP call answers {status, data}; data always has ok and, when refused, error.message.
  function call(url, body) {
    lastCallAt = Date.now();
    var options = {
      method: body ? "POST" : "GET",
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      cache: "no-store",
      // Keeps the Origin header on our own POSTs (Django's CSRF check needs it) whatever the page's policy.
      referrerPolicy: "same-origin"
    };
    if (body) {
      options.body = body;
      options.headers["X-CSRFToken"] = csrfToken;
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 401) { signedOut(); }
        if (data.ok === undefined) { data.ok = response.ok; }
        if (!data.ok && !data.error) {
          data.error = { code: "http_" + response.status, message: "That did not work (error " + response.status + "). Please try again." };
        }
        return { status: response.status, data: data };
      });
    }).catch(function () {
      return { status: 0, data: { ok: false, error: { code: "offline", message: "Could not reach the server. Check the connection and try again." } } };
    });
  }

  // --- alerts, notices and the connection line -----------------------------------------------

  var alertBox = root ? one("[data-alert]", root) : null;
  var noticeBox = root ? one("[data-notice]", root) : null;
  var connectionLine = one("[data-connection]");
  var alertKind = "";
  var alertChat = "";
  var noticeTimer = null;

  function updateTitle() {
    var unread = 0;
    Object.keys(panels).forEach(function (hex) { unread += panels[hex].unread; });
    document.title = (alertKind ? "(!) " : "") + (unread ? "(" + unread + " new) " : "") + baseTitle;
  }

  // Visible and announced (the box is an assertive live region); never a sound.
  function alertUser(kind, text, link, chat) {
    if (!alertBox) { return; }
    alertKind = kind;
    alertChat = chat || "";
    alertBox.textContent = "";
    var box = make("div", "console-alert__box");
    box.appendChild(make("p", null, text));
    if (link) {
      var anchor = make("a", null, link.text);
      anchor.href = link.href;
      box.appendChild(anchor);
    }
    var dismiss = make("button", "button button--quiet", "Dismiss");
    dismiss.type = "button";
    dismiss.addEventListener("click", clearAlert);
    box.appendChild(dismiss);
    alertBox.appendChild(box);
    updateTitle();
  }

  function clearAlert() {
    if (!alertBox) { return; }
    alertKind = "";
    alertChat = "";
    alertBox.textContent = "";
    updateTitle();
  }

  function notify(text) {
    if (!noticeBox || !text) { return; }
    noticeBox.textContent = "";
    noticeBox.appendChild(make("p", "notice", text));
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { noticeBox.textContent = ""; }, 12000);
  }

  // Polite and unseen: for what a screen reader user would otherwise miss (a chat out of view).
  var announcer = root ? one("[data-console-announce]", root) : null;
  var announceTimer = null;

  function announce(text) {
    if (!announcer || !text) { return; }
    announcer.textContent = "";
    clearTimeout(announceTimer);
    // Emptied first and filled a moment later, so the same words twice are read twice.
    announceTimer = setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function setConnection(kind) {
    if (!connectionLine) { return; }
    var words = {
      connecting: "Connecting to live updates…",
      live: "Live updates on.",
      polling: "The live connection is down, so this page checks for updates every few seconds while it reconnects.",
      reading: "This chat is live. New messages appear here as they are sent.",
      signedOut: "You have been signed out. Reload the page to sign in again."
    };
    connectionLine.textContent = words[kind] || "";
    connectionLine.className = "connection" + (kind === "live" || kind === "reading" ? " connection--live" : " connection--degraded");
  }

  function signedOut() {
    stopped = true;
    stopPolling();
    if (socket) { socket.close(); }
    setConnection("signedOut");
  }

  // --- the socket ----------------------------------------------------------------------------

  var socket = null;
  var socketOpen = false;
  var failures = 0;
  var pingTimer = null;
  var pollTimer = null;
  var catchUpTimer = null;
  var refCounter = 0;
  var pending = {}; // ref -> message being sent over the socket

  function connect() {
    if (stopped || !root) { return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + window.location.host + root.getAttribute("data-ws-path"));
    } catch (error) {
      socketClosed({ code: 0 });
      return;
    }
    socket.addEventListener("open", function () {
      socketOpen = true;
      failures = 0;
      setConnection("live");
      stopPolling();
      clearInterval(pingTimer);
      // The server counts a console silent for too long as gone and requeues its chats.
      pingTimer = setInterval(function () {
        sendFrame({ type: "ping" });
        keepSignedIn();
      }, PING_MS);
      clearInterval(catchUpTimer);
      catchUpTimer = setInterval(function () { if (consoleRoot) { syncState(); } }, CATCH_UP_MS);
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (frame && typeof frame.type === "string") { handleFrame(frame); }
    });
    socket.addEventListener("close", socketClosed);
  }

  function socketClosed(event) {
    // 4403: the server closed the socket because the sign-in has ended (signed out, account or
    // second factor removed); the person must sign in again, so no reconnecting.
    var endedSignIn = !!(event && event.code === 4403);
    socketOpen = false;
    socket = null;
    clearInterval(pingTimer);
    clearInterval(catchUpTimer);
    Object.keys(pending).forEach(function (ref) {
      finishSend(pending[ref], false, endedSignIn
        ? "Not confirmed: you have been signed out. Sign in again, then check the transcript before sending again."
        : "Not confirmed: the connection dropped. Check the transcript before sending again.");
    });
    pending = {};
    Object.keys(panels).forEach(function (hex) { panels[hex].historyAsked = 0; });
    if (stopped) { return; }
    if (endedSignIn) { signedOut(); return; }
    failures += 1;
    startPolling();
    var delay = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, Math.min(failures, 6) - 1));
    setTimeout(connect, delay * (0.75 + Math.random() * 0.5));
  }

  function sendFrame(frame) {
    if (!socketOpen || !socket) { return false; }
    socket.send(JSON.stringify(frame));
    return true;
  }

  function startPolling() {
    if (pollTimer || stopped) { return; }
    setConnection("polling");
    pollOnce();
    pollTimer = setInterval(pollOnce, POLL_MS);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function pollOnce() {
    // The state answer carries each chat's last sequence number; a chat behind it asks for history.
    if (consoleRoot) { syncState(); }
    if (boardRoot) { refreshBoard(); }
  }

  function handleFrame(frame) {
    var panel = HEX_ID.test(frame.chat || "") ? panels[frame.chat] : null;
    switch (frame.type) {
      case "ready":
        if (consoleRoot) {
          setAvailability(frame.availability);
          syncState();
          Object.keys(panels).forEach(function (hex) { askHistory(panels[hex]); });
        }
        if (boardRoot) { refreshBoard(); }
        break;
      case "chat_message":
        if (panel) { addMessages(panel, [frame.message]); }
        break;
      case "history":
        if (panel) {
          panel.historyAsked = 0;
          addMessages(panel, frame.messages || []);
        }
        break;
      case "chat_typing":
        if (panel) { showTyping(panel); }
        break;
      case "sent":
        if (pending[frame.ref]) {
          finishSend(pending[frame.ref], true);
          delete pending[frame.ref];
        }
        if (panel && typeof frame.seq === "number") { expectMessage(panel, frame.seq); }
        break;
      case "error":
        if (frame.ref && pending[frame.ref]) {
          finishSend(pending[frame.ref], false, frame.message);
          delete pending[frame.ref];
        } else {
          notify(frame.message);
        }
        break;
      case "availability":
        setAvailability(frame.availability);
        syncState();
        break;
      case "queue_overview":
        setQueue(frame.waiting, frame.oldest_wait_seconds);
        break;
      case "escalation_raised":
        escalationRaised(frame.escalation, frame.chat, frame.reason, frame.raised_by);
        break;
      case "escalation_decided":
        if (boardRoot) { refreshBoard(); }
        break;
      case "offer_made":
      case "offer_withdrawn":
      case "chat_assigned":
      case "chat_removed":
      case "chat_ended":
      case "chat_state":
      case "wrap_up_done":
        syncState();
        break;
      default:
        break;
    }
  }

  function escalationRaised(id, chat, reason, raisedBy) {
    if (knownEscalations[id]) { return; }
    knownEscalations[id] = true;
    var link = HEX_ID.test(chat || "") ? { href: urlFor("data-transcript-url", chat), text: "Read the chat" } : null;
    alertUser("escalation", "Escalation: " + reason + (raisedBy ? " (raised by " + raisedBy + ")" : "") + ".", link);
    if (boardRoot) { refreshBoard(); }
  }

  // --- messages ------------------------------------------------------------------------------

  var panels = {}; // chat hex -> {hex, el, list, lastSeq, unread, historyAsked, ...}
  var SENDER_NAMES = { seeker: "Person", system: "Service note" };

  function registerPanel(node, hex) {
    var list = one("[data-messages]", node);
    var last = list ? all("[data-seq]", list).pop() : null;
    var panel = {
      hex: hex,
      el: node,
      list: list,
      lastSeq: last ? parseInt(last.getAttribute("data-seq"), 10) || 0 : 0,
      unread: 0,
      historyAsked: 0, // when history was last asked for and not yet answered
      typingTimer: null,
      typingSentAt: 0,
      status: node.getAttribute("data-status") || "",
      colleagueKey: null
    };
    panels[hex] = panel;
    node.addEventListener("focusin", function () { markRead(panel); });
    node.addEventListener("pointerdown", function () { markRead(panel); });
    var box = one("[data-body]", node);
    if (box) {
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          submitForm(box.form);
        }
      });
      box.addEventListener("input", function () {
        if (Date.now() - panel.typingSentAt > TYPING_SEND_MS && sendFrame({ type: "typing", chat: hex })) {
          panel.typingSentAt = Date.now();
        }
      });
    }
    var tools = one(".chat-tools", node);
    if (tools) {
      // Who is free changes all the time: refresh the colleagues list when the tools are opened.
      tools.addEventListener("toggle", function () { if (tools.open) { syncState(); } });
    }
    scrollToEnd(panel, true);
    return panel;
  }

  function addMessages(panel, messages) {
    var gap = false;
    var fromSeeker = false;
    messages.slice().sort(function (a, b) { return a.seq - b.seq; }).forEach(function (message) {
      if (!message || typeof message.seq !== "number" || message.seq <= panel.lastSeq) { return; }
      if (message.seq > panel.lastSeq + 1) { gap = true; return; }
      appendMessage(panel, message);
      panel.lastSeq = message.seq;
      if (message.sender === "seeker") {
        fromSeeker = true;
        hideTyping(panel);
        if (!hasAttention(panel)) { addUnread(panel); }
      }
    });
    // A chat scrolled out of sight, or the whole tab in the background: say which chat it was.
    if (fromSeeker && (document.hidden || !inView(panel))) {
      announce("New message in chat " + panel.hex.slice(0, 6));
    }
    if (gap) { askHistory(panel); }
  }

  function inView(panel) {
    var rect = (panel.list || panel.el).getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    var width = window.innerWidth || document.documentElement.clientWidth;
    return rect.bottom > 0 && rect.top < height && rect.right > 0 && rect.left < width;
  }

  function appendMessage(panel, message) {
    if (!panel.list) { return; }
    var nearEnd = panel.list.scrollHeight - panel.list.scrollTop - panel.list.clientHeight < 80;
    var sender = SENDER_NAMES[message.sender] !== undefined || message.sender === "staff" ? message.sender : "system";
    var item = make("li", "message message--" + sender);
    item.setAttribute("data-seq", String(message.seq));
    item.appendChild(make("span", "message__who", sender === "staff" ? (message.author || "Staff") : SENDER_NAMES[sender]));
    item.appendChild(document.createTextNode(" "));
    var at = make("time", "message__at", clock(message.at));
    at.setAttribute("datetime", message.at || "");
    item.appendChild(at);
    item.appendChild(make("p", "message__body", message.body));
    all("[data-empty-transcript]", panel.list).forEach(function (node) { node.remove(); });
    panel.list.appendChild(item);
    scrollToEnd(panel, nearEnd || message.sender === "staff");
  }

  function scrollToEnd(panel, really) {
    if (really && panel.list) { panel.list.scrollTop = panel.list.scrollHeight; }
  }

  function askHistory(panel) {
    // One request at a time; one whose answer was lost (an error frame, a dropped reply) is not waited
    // for forever.
    if (panel.historyAsked && Date.now() - panel.historyAsked < HISTORY_ANSWER_MS) { return; }
    panel.historyAsked = Date.now();
    if (sendFrame({ type: "history", chat: panel.hex, after: panel.lastSeq })) { return; }
    var base = panel.messagesUrl || urlFor("data-messages-url", panel.hex) + "?after=";
    call(base + panel.lastSeq).then(function (result) {
      panel.historyAsked = 0;
      if (result.data.ok !== false && result.data.messages) { addMessages(panel, result.data.messages); }
    });
  }

  // The server numbered this console's own message `seq`; it normally arrives as an event within a
  // moment. If that event was lost, the chat is otherwise quiet and nothing would show the gap.
  function expectMessage(panel, seq) {
    if (seq <= panel.lastSeq) { return; }
    setTimeout(function () {
      if (seq > panel.lastSeq && panels[panel.hex] === panel) { askHistory(panel); }
    }, OWN_MESSAGE_MS);
  }

  function hasAttention(panel) {
    return !document.hidden && document.hasFocus() && panel.el.contains(document.activeElement);
  }

  function addUnread(panel) {
    var badge = one("[data-unread]", panel.el);
    if (!badge) { return; }
    panel.unread += 1;
    badge.textContent = panel.unread + " new";
    badge.hidden = false;
    updateTitle();
  }

  function markRead(panel) {
    if (!panel.unread) { return; }
    panel.unread = 0;
    var badge = one("[data-unread]", panel.el);
    if (badge) { badge.hidden = true; }
    updateTitle();
  }

  function showTyping(panel) {
    var line = one("[data-typing]", panel.el);
    if (!line) { return; }
    line.hidden = false;
    clearTimeout(panel.typingTimer);
    panel.typingTimer = setTimeout(function () { line.hidden = true; }, TYPING_SHOW_MS);
  }

  function hideTyping(panel) {
    var line = one("[data-typing]", panel.el);
    if (line) { line.hidden = true; }
    clearTimeout(panel.typingTimer);
  }

  // --- forms ---------------------------------------------------------------------------------

  function submitForm(form) {
    if (form.requestSubmit) { form.requestSubmit(); return; }
    form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  }

  function showFormError(form, text) {
    var line = one("[data-form-error]", form);
    if (!line) {
      if (text) { alertUser("error", text); }
      return;
    }
    line.textContent = text || "";
    line.hidden = !text;
  }

  function setBusy(form, busy) {
    all("button[type=submit]", form).forEach(function (button) {
      button.disabled = busy;
      button.setAttribute("aria-busy", busy ? "true" : "false");
    });
  }

  function sendFromComposer(form) {
    var panel = panels[form.closest("[data-chat]").getAttribute("data-chat")];
    var box = one("[data-body]", form);
    var text = box.value;
    if (!panel || one("button[type=submit]", form).disabled) { return; }
    if (!text.trim()) {
      showFormError(form, "Please type a message before sending.");
      return;
    }
    showFormError(form, "");
    setBusy(form, true);
    var sending = { form: form, box: box, text: text };
    var ref = "m" + (refCounter += 1);
    if (sendFrame({ type: "message", chat: panel.hex, body: text, ref: ref })) {
      pending[ref] = sending;
      return;
    }
    call(form.action, new FormData(form)).then(function (result) {
      if (result.data.ok && result.data.message) { addMessages(panel, [result.data.message]); }
      finishSend(sending, result.data.ok, result.data.ok ? "" : result.data.error.message);
    });
  }

  function finishSend(sending, ok, errorText) {
    setBusy(sending.form, false);
    if (ok) {
      // Keep anything typed while the message was on its way.
      if (sending.box.value.indexOf(sending.text) === 0) {
        sending.box.value = sending.box.value.slice(sending.text.length).replace(/^\s+/, "");
      }
      showFormError(sending.form, "");
    } else {
      showFormError(sending.form, errorText);
    }
  }

  function insertCanned(form) {
    var select = one("select", form);
    var option = select && select.options[select.selectedIndex];
    var panel = form.closest("[data-chat]");
    var box = panel ? one("[data-body]", panel) : null;
    if (!option || !box) { return; }
    var text = option.getAttribute("data-text") || "";
    var start = box.selectionStart || 0;
    var end = box.selectionEnd || 0;
    var before = box.value.slice(0, start);
    var spacer = before && !/\s$/.test(before) ? " " : "";
    box.value = before + spacer + text + box.value.slice(end);
    box.focus();
    var caret = before.length + spacer.length + text.length;
    box.setSelectionRange(caret, caret);
  }

  var lastSubmitter = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[type=submit]") : null;
    if (button) { lastSubmitter = button; }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!consoleRoot || !consoleRoot.contains(form)) { return; }
    if (form.hasAttribute("data-canned")) {
      event.preventDefault();
      insertCanned(form);
      return;
    }
    if (!form.hasAttribute("data-js-form")) { return; }
    event.preventDefault();
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) { return; }
    if (form.hasAttribute("data-composer")) {
      sendFromComposer(form);
      return;
    }
    if (form.hasAttribute("data-accept")) {
      // Once accepted, the new chat's reply box takes the focus (the offer and its button go away).
      var offer = form.closest("[data-offer]");
      arrivalChat = offer ? offer.getAttribute("data-offer") : "";
      arrivalFocus = document.activeElement;
    }
    var data = new FormData(form);
    var submitter = event.submitter || (lastSubmitter && lastSubmitter.form === form ? lastSubmitter : null);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    setBusy(form, true);
    call(form.action, data).then(function (result) {
      setBusy(form, false);
      if (result.data.ok) {
        showFormError(form, "");
        if (result.data.availability) { setAvailability(result.data.availability); }
        notify(result.data.notice);
      } else {
        showFormError(form, result.data.error.message);
      }
      syncState();
    });
  });

  // --- the console's state -------------------------------------------------------------------

  var syncTimer = null;
  var syncing = false;
  var syncAgain = false;

  function syncState() {
    if (!consoleRoot || stopped) { return; }
    clearTimeout(syncTimer);
    syncTimer = setTimeout(function () {
      if (syncing) { syncAgain = true; return; }
      syncing = true;
      call(consoleRoot.getAttribute("data-state-url")).then(function (result) {
        syncing = false;
        if (result.status === 200) { applyState(result.data); }
        if (syncAgain) {
          syncAgain = false;
          syncState();
        }
      });
    }, 150);
  }

  function applyState(state) {
    var now = Date.parse(state.now);
    if (!isNaN(now)) { serverOffset = now - Date.now(); }
    setAvailability(state.availability);
    setQueue(state.queue.waiting, state.queue.oldest_wait_seconds);
    applyOffers(state.offers || []);
    applyChats(state.chats || []);
    applyWrapUps(state.wrap_ups_due || []);
  }

  function fillFromTemplate(selector, hex) {
    var template = one(selector, consoleRoot);
    var node = template.content.firstElementChild.cloneNode(true);
    var ref = hex.slice(0, 6);
    [node].concat(all("*", node)).forEach(function (element) {
      Array.prototype.slice.call(element.attributes).forEach(function (attribute) {
        var value = attribute.value;
        if (value.indexOf(placeholder) !== -1 || value.indexOf(placeholderHex) !== -1) {
          element.setAttribute(attribute.name, value.split(placeholder).join(dashed(hex)).split(placeholderHex).join(hex));
        } else if (attribute.name === "aria-label" && value.indexOf(placeholderHex.slice(0, 6)) !== -1) {
          element.setAttribute(attribute.name, value.replace(placeholderHex.slice(0, 6), ref));
        }
      });
    });
    all("[data-field=ref]", node).forEach(function (field) { field.textContent = ref; });
    return node;
  }

  function setField(node, name, value) {
    all("[data-field=" + name + "]", node).forEach(function (field) { field.textContent = value || ""; });
  }

  function applyOffers(offers) {
    var list = one("[data-offers]", consoleRoot);
    var wanted = {};
    offers.forEach(function (offer) {
      if (!HEX_ID.test(offer.chat)) { return; }
      wanted[offer.chat] = true;
      var node = one("[data-offer='" + offer.chat + "']", list);
      if (!node) {
        node = fillFromTemplate("[data-offer-template]", offer.chat);
        setField(node, "language", offer.language_name);
        setField(node, "about", offer.about);
        list.appendChild(node);
        alertUser("offer", "New chat offered: " + offer.language_name + ", " + (offer.about || "").toLowerCase() + ". Accept or decline it below.", null, offer.chat);
      }
      node.setAttribute("data-expires", offer.expires_at || "");
      setPresence(one("[data-seeker-presence]", node), offer.seeker);
    });
    all("[data-offer]", list).forEach(function (node) {
      if (!wanted[node.getAttribute("data-offer")]) { node.remove(); }
    });
    // The alert about an offer goes once that offer is accepted, declined or withdrawn.
    if (alertKind === "offer" && (alertChat ? !wanted[alertChat] : !offers.length)) { clearAlert(); }
    one("[data-no-offers]", consoleRoot).hidden = offers.length > 0;
    tick();
  }

  // Whether the seeker is still on the page (the shell's pulse sets it too; both read the same cache).
  var SEEKER_STATES = { here: true, away: true, gone: true, unknown: true };

  function setPresence(badge, seeker) {
    if (!badge || !seeker || !SEEKER_STATES[seeker.state]) { return; }
    badge.className = "seeker-presence seeker-presence--" + seeker.state;
    badge.setAttribute("data-state", seeker.state);
    badge.textContent = seeker.label || "";
  }

  function applyChats(chats) {
    var container = one("[data-chats]", consoleRoot);
    var wanted = {};
    chats.forEach(function (info) {
      if (!HEX_ID.test(info.chat)) { return; }
      wanted[info.chat] = true;
      var panel = panels[info.chat];
      if (!panel) {
        var node = fillFromTemplate("[data-chat-template]", info.chat);
        container.appendChild(node);
        panel = registerPanel(node, info.chat);
        panel.status = info.status;
      }
      updatePanel(panel, info);
    });
    Object.keys(panels).forEach(function (hex) {
      if (!wanted[hex]) {
        panels[hex].el.remove();
        delete panels[hex];
      }
    });
    one("[data-no-chats]", consoleRoot).hidden = chats.length > 0;
    updateTitle();
    if (arrivalChat) { arrivalChatDrawn(); }
  }

  function arrivalChatDrawn() {
    var arrived = panels[arrivalChat];
    if (!arrived) {
      // Still offered (the answer to Accept is on its way), or the offer went without becoming a chat.
      if (!one("[data-offers] [data-offer='" + arrivalChat + "']", consoleRoot)) { arrivalChat = ""; }
      return;
    }
    arrivalChat = "";
    if (arrived.status !== "active") { return; }
    // Only if nothing else has been picked up meanwhile (a field, a button): never steal focus.
    var active = document.activeElement;
    if (!active || active === document.body || !document.contains(active) || active === arrivalFocus) {
      focusReply(arrived);
    }
    arrivalFocus = null;
  }

  function updatePanel(panel, info) {
    var ended = info.status === "ended";
    if (ended && panel.status && panel.status !== "ended") {
      notify("Chat " + info.ref + " has ended. Please complete the wrap-up.");
    }
    panel.status = info.status;
    panel.el.setAttribute("data-status", info.status);
    panel.el.classList.toggle("chat-panel--ended", ended);
    setField(panel.el, "language", info.language_name);
    setField(panel.el, "about", info.about);
    setField(panel.el, "status", info.status_label);
    one("[data-escalated]", panel.el).hidden = !info.escalated;
    all("[data-live-only]", panel.el).forEach(function (node) { node.hidden = ended; });
    all("[data-ended-only]", panel.el).forEach(function (node) { node.hidden = !ended; });
    if (ended) { hideTyping(panel); }
    if (info.seeker) {
      setPresence(one("[data-seeker-presence]", panel.el), info.seeker);
      all("[data-close-left]", panel.el).forEach(function (form) { form.hidden = ended || info.seeker.state !== "gone"; });
    }
    updateColleagues(panel, info.colleagues || []);
    if (info.last_seq > panel.lastSeq) { askHistory(panel); }
  }

  function updateColleagues(panel, colleagues) {
    var select = one("[data-colleagues]", panel.el);
    var key = colleagues.map(function (c) { return c.id + ":" + c.name; }).join("|");
    if (!select || key === panel.colleagueKey) { return; }
    panel.colleagueKey = key;
    var chosen = select.value;
    while (select.options.length > 1) { select.remove(1); } // the first stays: back to the queue
    colleagues.forEach(function (colleague) {
      var option = make("option", null, colleague.name);
      option.value = String(colleague.id);
      select.appendChild(option);
    });
    select.value = chosen;
    if (select.selectedIndex < 0) { select.selectedIndex = 0; }
  }

  function applyWrapUps(due) {
    var banner = one("[data-wrap-up-banner]", consoleRoot);
    var list = one("[data-wrap-up-links]", banner);
    list.textContent = "";
    due.forEach(function (item) {
      var entry = make("li");
      var link = make("a", null, "Wrap up chat " + item.ref);
      link.href = item.url;
      entry.appendChild(link);
      list.appendChild(entry);
    });
    banner.hidden = due.length === 0;
  }

  function setAvailability(value) {
    if (!consoleRoot || !value) { return; }
    // The availability buttons live in the page header (the staff shell), outside the console.
    all("[data-availability] button[name=availability]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === value ? "true" : "false");
    });
    var hint = one("[data-offer-hint]", consoleRoot);
    if (hint) { hint.hidden = value === "available"; }
  }

  // --- queue and countdowns ------------------------------------------------------------------

  var queueOldestAt = null;

  function setQueue(waiting, oldestSeconds) {
    var count = one("[data-queue-waiting]");
    if (count) { count.textContent = String(waiting); }
    queueOldestAt = oldestSeconds === null || oldestSeconds === undefined ? null : Date.now() - oldestSeconds * 1000;
    tick();
  }

  function tick() {
    var oldest = one("[data-queue-oldest]");
    if (oldest) {
      oldest.textContent = queueOldestAt === null ? "nobody waiting" : waitWords((Date.now() - queueOldestAt) / 1000);
    }
    if (!consoleRoot) { return; }
    all("[data-offer]", consoleRoot).forEach(function (offer) {
      var expires = Date.parse(offer.getAttribute("data-expires"));
      var line = one("[data-countdown]", offer);
      if (isNaN(expires) || !line) { return; }
      var left = Math.ceil((expires - (Date.now() + serverOffset)) / 1000);
      if (left > 0) {
        line.textContent = left + " s left to accept";
        return;
      }
      if (!offer.classList.contains("offer--expired")) {
        offer.classList.add("offer--expired");
        line.textContent = "This offer has run out of time.";
        all("button", offer).forEach(function (button) { button.disabled = true; });
        syncState();
      }
    });
  }

  // --- keyboard shortcuts (listed on the console in [data-shortcuts]) -------------------------
  // Alt with a letter, nothing else: never Esc and never a bare letter, so typing in a reply box is
  // untouched. Not with Ctrl or AltGr (which type letters on many keyboards), nor while an input
  // method is composing. On a Mac, Option with a letter types a character: that is left alone too.

  var arrivalChat = ""; // a chat just accepted: its reply box takes the focus once it is drawn
  var arrivalFocus = null;
  var currentChat = ""; // the chat last worked in, for Alt+R

  function livePanels() {
    return all("[data-chats] [data-chat]", consoleRoot).map(function (node) {
      return panels[node.getAttribute("data-chat")];
    }).filter(function (panel) {
      var box = panel ? one("[data-body]", panel.el) : null;
      return box && panel.status !== "ended" && !box.closest("[hidden]");
    });
  }

  function panelOf(node) {
    var el = node && node.closest ? node.closest("[data-chats] [data-chat]") : null;
    return el ? panels[el.getAttribute("data-chat")] || null : null;
  }

  function currentPanel() {
    return panelOf(document.activeElement) || panels[currentChat] || null;
  }

  function focusReply(panel) {
    var box = panel ? one("[data-body]", panel.el) : null;
    if (!box || panel.status === "ended") {
      announce(livePanels().length ? "That chat has ended." : "You have no live chats.");
      return false;
    }
    currentChat = panel.hex;
    panel.el.scrollIntoView({ block: "nearest" });
    box.focus({ preventScroll: true });
    var rect = box.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > (window.innerHeight || document.documentElement.clientHeight)) {
      box.scrollIntoView({ block: "nearest" });
    }
    return true;
  }

  function moveChat(step) {
    var list = livePanels();
    if (!list.length) {
      announce("You have no live chats.");
      return;
    }
    var at = list.indexOf(currentPanel());
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : (at + step + list.length) % list.length;
    focusReply(list[next]);
    if (list.length === 1 && at === 0) { announce("This is your only live chat."); }
  }

  function acceptFirstOffer() {
    var form = all("[data-offers] [data-offer]", consoleRoot).filter(function (offer) {
      return !offer.classList.contains("offer--expired");
    }).map(function (offer) { return one("form[data-accept]", offer); }).filter(function (found) {
      return found && !one("button[type=submit]", found).disabled;
    })[0];
    if (!form) {
      announce("No chat is offered to you right now.");
      return;
    }
    submitForm(form);
  }

  var SHORTCUTS = {
    a: acceptFirstOffer,
    n: function () { moveChat(1); },
    p: function () { moveChat(-1); },
    r: function () {
      var panel = currentPanel() || livePanels()[0];
      if (panel) { focusReply(panel); } else { announce("You have no live chats."); }
    }
  };

  function shortcutFor(event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return null; }
    if (event.isComposing || event.keyCode === 229) { return null; }
    if (event.getModifierState && event.getModifierState("AltGraph")) { return null; }
    var key = typeof event.key === "string" && event.key.length === 1 ? event.key.toLowerCase() : "";
    return Object.prototype.hasOwnProperty.call(SHORTCUTS, key) ? SHORTCUTS[key] : null;
  }

  function startShortcuts() {
    var list = one("[data-shortcuts]", consoleRoot);
    if (list) {
      list.hidden = false; // they need this script, so they are listed only with it
      // The list opens over the chats: it closes again when the person clicks or tabs elsewhere.
      document.addEventListener("pointerdown", function (event) {
        if (list.open && !list.contains(event.target)) { list.open = false; }
      });
      list.addEventListener("focusout", function (event) {
        if (list.open && event.relatedTarget && !list.contains(event.relatedTarget)) { list.open = false; }
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || stopped) { return; }
      var action = shortcutFor(event);
      if (!action) { return; }
      event.preventDefault();
      action();
    });
    consoleRoot.addEventListener("focusin", function (event) {
      var panel = panelOf(event.target);
      if (panel) { currentChat = panel.hex; }
    });
  }

  // --- the supervisor board ------------------------------------------------------------------

  var knownEscalations = {};

  function row(cells) {
    var tr = make("tr");
    cells.forEach(function (cell) {
      var td = make("td");
      if (cell && cell.nodeType) { td.appendChild(cell); } else { td.textContent = cell === undefined ? "" : String(cell); }
      tr.appendChild(td);
    });
    return tr;
  }

  function link(href, text) {
    var anchor = make("a", null, text);
    anchor.href = href;
    return anchor;
  }

  function fillTable(name, items, toCells) {
    var body = one("[data-" + name.replace("_", "-") + "]", boardRoot);
    body.textContent = "";
    items.forEach(function (item) { body.appendChild(row(toCells(item))); });
    one("[data-empty='" + name + "']", boardRoot).hidden = items.length > 0;
  }

  function refreshBoard() {
    if (!boardRoot || stopped) { return; }
    call(boardRoot.getAttribute("data-state-url")).then(function (result) {
      if (result.status !== 200) { return; }
      var state = result.data;
      setQueue(state.queue.waiting, state.queue.oldest_wait_seconds);
      state.escalations.forEach(function (e) {
        if (!knownEscalations[e.id]) { escalationRaised(e.id, e.chat, e.reason, e.raised_by); }
      });
      fillTable("escalations", state.escalations, function (e) {
        return [e.raised_at_label, e.reason, e.raised_by, e.ref + " (" + e.chat_status + ")", link(e.url, "Read the chat and decide")];
      });
      fillTable("on_duty", state.on_duty, function (p) {
        var status = make("span", "status status--" + p.availability, p.availability_label);
        return [p.name, status, p.chats + " of " + p.max_chats, p.wrap_up_due ? "Due" : "–"];
      });
      fillTable("live", state.live, function (c) {
        return [c.ref + (c.escalated ? " · Escalated" : ""), c.language_name, c.staff, c.answered_at_label, link(c.url, "Read in")];
      });
    });
  }

  // --- a transcript being read in ------------------------------------------------------------

  function followTranscript() {
    var status = transcriptRoot.getAttribute("data-status");
    if (status === "ended") { return; }
    var hex = transcriptRoot.getAttribute("data-chat");
    var panel = registerPanel(transcriptRoot, hex);
    panel.messagesUrl = transcriptRoot.getAttribute("data-messages-url") + "?after=";
    setConnection("reading");
    var timer = setInterval(function () {
      call(panel.messagesUrl + panel.lastSeq).then(function (result) {
        if (result.status !== 200) { return; }
        addMessages(panel, result.data.messages || []);
        if (result.data.status === "ended") {
          clearInterval(timer);
          var label = one("[data-transcript-status]");
          if (label) { label.textContent = "Ended"; }
          if (connectionLine) { connectionLine.textContent = "This chat has ended."; }
        }
      });
    }, POLL_MS);
  }

  // --- start ---------------------------------------------------------------------------------

  if (consoleRoot) {
    var now = Date.parse(consoleRoot.getAttribute("data-now"));
    if (!isNaN(now)) { serverOffset = now - Date.now(); }
    all("[data-chats] [data-chat]", consoleRoot).forEach(function (node) {
      registerPanel(node, node.getAttribute("data-chat"));
    });
    if (all("[data-offers] [data-offer]", consoleRoot).length) {
      alertUser("offer", "A chat is waiting for you to accept or decline it.");
    }
    startShortcuts();
  }
  if (boardRoot) {
    all("[data-escalations] [data-escalation]", boardRoot).forEach(function (tr) {
      knownEscalations[tr.getAttribute("data-escalation")] = true;
    });
    setInterval(refreshBoard, BOARD_REFRESH_MS);
  }
  if (root) {
    var oldest = one("[data-queue-oldest]");
    var seconds = oldest ? parseInt(oldest.getAttribute("data-seconds"), 10) : NaN;
    queueOldestAt = isNaN(seconds) ? null : Date.now() - seconds * 1000;
    setInterval(tick, 1000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { syncState(); }
    });
    setConnection("connecting");
    connect();
  } else if (transcriptRoot) {
    followTranscript();
  }
}());
