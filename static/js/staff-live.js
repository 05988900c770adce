// Live updates for the staff pages that already work as plain forms: the console, the supervisor
// board and a transcript being read in. The socket (/staff/ws/), the polling while it is down, the
// order of messages, gaps and the periodic catch-up are live-transcript.js's (shared with the seeker's
// chat). Here: the alerts, the connection line, each chat's messages (unread counts, typing, the
// announcement of a message in a chat out of view), and swapping in regions the server drew. The
// console's own workings (its forms, offers and chats, shortcuts) are staff-console.js's, which fills
// in `StaffLive.page`. Message text is only ever placed with textContent.
(function () {
  "use strict";

  // Every word shown comes from the page, in the reader's language (helpline/staff/js_texts.py).
  var say = window.openDoorText;

  var PING_MS = 15000;
  var POLL_MS = 4000;
  var BOARD_REFRESH_MS = 10000;
  var TYPING_SHOW_MS = 6000;
  var KEEP_SIGNED_IN_MS = 5 * 60 * 1000;
  var HEX_ID = /^[0-9a-f]{32}$/;

  var shell = window.StaffShell; // staff-shell.js, on every staff page: helpers shared with it
  var consoleRoot = document.querySelector("[data-staff-console]");
  var boardRoot = document.querySelector("[data-supervisor-board]");
  var transcriptRoot = document.querySelector("[data-transcript-page]");
  var root = consoleRoot || boardRoot;
  if (!shell || (!root && !transcriptRoot)) { return; }

  var baseTitle = document.title;
  var stopped = false;
  function nothing() { return undefined; }
  // The console's script (loaded after this one, before the page has finished loading) fills these in:
  // its sync, its own frames, a panel drawn, a message it sent confirmed or refused, the socket closed.
  var page = { sync: nothing, frame: nothing, panelAdded: nothing, answered: nothing, closed: nothing };

  var one = shell.one;
  var all = shell.all;
  var make = shell.make;

  // Sessions end after a spell of inactivity. Socket frames do not count as activity for the
  // session, so someone busy in a chat has it renewed with a light request every few minutes.
  var lastActivityAt = Date.now();
  var lastCallAt = Date.now();
  ["keydown", "pointerdown"].forEach(function (kind) {
    document.addEventListener(kind, function () { lastActivityAt = Date.now(); }, true);
  });

  function keepSignedIn() {
    var now = Date.now();
    if (now - lastActivityAt < KEEP_SIGNED_IN_MS && now - lastCallAt > KEEP_SIGNED_IN_MS) { page.sync(); }
  }

  // --- requests ------------------------------------------------------------------------------

  function fetchOptions(accept, body) {
    lastCallAt = Date.now();
    return shell.requestOptions(accept, body);
  }

  // Every JSON call answers {status, data}; data always has ok and, when refused, error.message.
  function call(url, body) {
    return fetch(url, fetchOptions("application/json", body)).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 401) { signedOut(); }
        if (data.ok === undefined) { data.ok = response.ok; }
        if (!data.ok && !data.error) {
          data.error = { code: "http_" + response.status, message: say("staff.http_error", { status: response.status }) };
        }
        return { status: response.status, data: data };
      });
    }).catch(function () {
      return { status: 0, data: { ok: false, error: { code: "offline", message: say("staff.offline") } } };
    });
  }

  // A state view's regions, parsed (never run: no script comes in them), or null. JSON is accepted
  // too so that a sign-in that has ended answers 401 (staff_required), not the sign-in page.
  function fetchRegions(url) {
    return fetch(url, fetchOptions("text/html, application/json;q=0.1")).then(function (response) {
      if (response.status === 401) { signedOut(); }
      if (response.status !== 200) { return null; }
      return response.text().then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html;
        return holder.content;
      });
    }).catch(function () { return null; });
  }

  // --- alerts, notices and the connection line -----------------------------------------------

  var alertBox = root ? one("[data-alert]", root) : null;
  var noticeBox = root ? one("[data-notice]", root) : null;
  var connectionLine = one("[data-connection]");
  var alerted = { kind: "", chat: "" };
  var noticeTimer = null;

  function updateTitle() {
    var unread = 0;
    Object.keys(panels).forEach(function (hex) { unread += panels[hex].unread; });
    var title = unread ? say("staff.title_unread", { count: unread, title: baseTitle }) : baseTitle;
    document.title = alerted.kind ? say("staff.title_alert", { title: title }) : title;
  }

  // Visible and announced (the box is an assertive live region); never a sound.
  function alertUser(kind, text, link, chat) {
    if (!alertBox) { return; }
    alerted = { kind: kind, chat: chat || "" };
    alertBox.textContent = "";
    var box = make("div", "console-alert__box");
    box.appendChild(make("p", null, text));
    if (link) {
      var anchor = make("a", null, link.text);
      anchor.href = link.href;
      box.appendChild(anchor);
    }
    var dismiss = make("button", "button button--quiet", say("staff.dismiss"));
    dismiss.type = "button";
    dismiss.addEventListener("click", clearAlert);
    box.appendChild(dismiss);
    alertBox.appendChild(box);
    updateTitle();
  }

  function clearAlert() {
    if (!alertBox) { return; }
    alerted = { kind: "", chat: "" };
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

  // For what a screen reader user would otherwise miss (a chat out of view).
  var announce = shell.announcerFor(root ? one("[data-console-announce]", root) : null);

  function setConnection(kind) {
    if (!connectionLine) { return; }
    var words = {
      connecting: say("staff.connecting"),
      live: say("staff.live"),
      polling: say("staff.polling"),
      reading: say("staff.reading"),
      signedOut: say("staff.signed_out_reload")
    };
    connectionLine.textContent = words[kind] || "";
    connectionLine.className = "connection" + (kind === "live" || kind === "reading" ? " connection--live" : " connection--degraded");
  }

  function signedOut() {
    stopped = true;
    if (live) { live.stop(); }
    setConnection("signedOut");
  }

  // --- the socket (live-transcript.js) ---------------------------------------------------------

  function refresh() {
    page.sync(); // the console's state carries each chat's last sequence number
    refreshBoard();
  }

  var live = root ? LiveTranscript.connection({
    path: root.getAttribute("data-ws-path"),
    pingMs: PING_MS, // the server counts a console silent for too long as gone and requeues its chats
    pollMs: POLL_MS,
    pollAfter: 1,
    catchUpMs: consoleRoot ? null : BOARD_REFRESH_MS,
    heard: function () { setConnection("live"); },
    pinged: keepSignedIn,
    frame: handleFrame,
    closed: socketClosed,
    polling: function () { setConnection("polling"); },
    poll: refresh,
    catchUp: refresh
  }) : null;

  function socketClosed(event) {
    // 4403: the server closed the socket because the sign-in has ended (signed out, account or
    // second factor removed); the person must sign in again, so no reconnecting.
    var endedSignIn = !!(event && event.code === 4403);
    page.closed(endedSignIn
      ? say("staff.unconfirmed_signed_out")
      : say("staff.unconfirmed_dropped"));
    Object.keys(panels).forEach(function (hex) { panels[hex].transcript.forget(); });
    if (endedSignIn) { signedOut(); }
    return !endedSignIn;
  }

  function handleFrame(frame) {
    var panel = HEX_ID.test(frame.chat || "") ? panels[frame.chat] : null;
    switch (frame.type) {
      case "ready":
        Object.keys(panels).forEach(function (hex) { panels[hex].transcript.fill(); });
        refreshBoard();
        break;
      case "chat_message":
        if (panel) { panel.transcript.add([frame.message]); }
        break;
      case "history":
        if (panel) {
          panel.transcript.answer(frame.messages || []);
          addNotes(panel, frame.notes);
        }
        break;
      case "chat_note":
        // A private note (a supervisor's whisper, a handover note): only staff sockets ever hear these.
        if (panel) { addNotes(panel, [frame.note]); }
        break;
      case "chat_typing":
        if (panel) { showTyping(panel); }
        break;
      case "sent":
        page.answered(frame.ref, true);
        if (panel && typeof frame.seq === "number") { panel.transcript.expect(frame.seq); }
        break;
      case "error":
        if (!(frame.ref && page.answered(frame.ref, false, frame.message))) { notify(frame.message); }
        break;
      case "queue_overview":
        // The header's count and the words for the longest wait, as the server says them.
        shell.setQueue(frame);
        break;
      case "escalation_raised":
        escalationRaised(frame.escalation, frame.chat, frame.reason, frame.raised_by);
        refreshBoard();
        break;
      case "escalation_decided":
        refreshBoard();
        break;
      case "debrief_requested":
        // Staff wellbeing: someone asked for a debrief (tied to no chat). The board lists it.
        alertUser("debrief", say("staff.debrief_requested", { name: frame.name || "" }), boardRoot ? null : { href: "/staff/supervisor/", text: say("staff.open_board") });
        refreshBoard();
        break;
      case "debrief_arranged":
      case "team_changed":
        refreshBoard();
        break;
      default:
        break;
    }
    page.frame(frame); // the console's own: availability, offers and chats that changed
  }

  var knownEscalations = {};

  // An event names its chat by hex id; the address of the chat's page has the dashes.
  function transcriptUrl(hex) {
    var dashed = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
    return root.getAttribute("data-transcript-url").replace(root.getAttribute("data-placeholder"), dashed);
  }

  function escalationRaised(id, chat, reason, raisedBy) {
    if (knownEscalations[id]) { return; }
    knownEscalations[id] = true;
    var link = HEX_ID.test(chat || "") ? { href: transcriptUrl(chat), text: say("staff.read_the_chat") } : null;
    alertUser("escalation", raisedBy ? say("staff.escalation_by", { reason: reason, name: raisedBy }) : say("staff.escalation", { reason: reason }), link);
  }

  // --- messages ------------------------------------------------------------------------------

  var panels = {}; // chat hex -> {hex, el, ref, transcript, unread, status, ...}
  var SENDER_NAMES = { seeker: say("staff.person"), system: say("staff.service_note") };

  function registerPanel(node) {
    var hex = node.getAttribute("data-chat");
    var list = one("[data-messages]", node);
    var messagesUrl = node.getAttribute("data-messages-url") + "?after=";
    var panel = {
      hex: hex,
      el: node,
      ref: node.getAttribute("data-chat-ref") || "",
      unread: 0,
      typingTimer: null,
      status: node.getAttribute("data-status") || "",
      loaded: nothing
    };
    panel.transcript = LiveTranscript.transcript(list, {
      draw: drawMessage,
      measure: function () { return list.scrollHeight - list.scrollTop - list.clientHeight < 80; },
      shown: function (added, nearEnd) { messagesShown(panel, added, nearEnd); },
      askOverSocket: function (after) { return !!live && live.send({ type: "history", chat: hex, after: after }); },
      load: function (after) {
        return call(messagesUrl + after).then(function (result) {
          var ok = result.data.ok !== false && result.data.messages;
          if (ok) { addNotes(panel, result.data.notes); }
          return ok ? result.data : null;
        });
      },
      loaded: function (data) { panel.loaded(data); }
    });
    panel.lastNote = 0;
    all("[data-note]", list).forEach(function (item) { panel.lastNote = Math.max(panel.lastNote, noteIdOf(item)); });
    panels[hex] = panel;
    node.addEventListener("focusin", function () { markRead(panel); });
    node.addEventListener("pointerdown", function () { markRead(panel); });
    list.scrollTop = list.scrollHeight;
    page.panelAdded(panel);
    return panel;
  }

  function drawMessage(message) {
    var sender = SENDER_NAMES[message.sender] !== undefined || message.sender === "staff" ? message.sender : "system";
    var item = make("li", "message message--" + sender);
    item.appendChild(make("span", "message__who", sender === "staff" ? (message.author || say("staff.staff")) : SENDER_NAMES[sender]));
    item.appendChild(document.createTextNode(" "));
    var at = make("time", "message__at", LiveTranscript.timeLabel(message.at));
    at.setAttribute("datetime", message.at || "");
    item.appendChild(at);
    item.appendChild(make("p", "message__body", message.body));
    return item;
  }

  // --- private notes: for staff only, never numbered in the chat's sequence ---------------------

  function noteIdOf(item) { return parseInt(item.getAttribute("data-note"), 10) || 0; }

  // The same markup as templates/helpline/chat/staff/_note.html.
  function drawNote(note) {
    var item = make("li", "message message--note message--" + (note.kind === "handover" ? "handover" : "whisper"));
    item.setAttribute("data-note", String(note.id));
    var name = note.author || say("staff.a_colleague");
    item.appendChild(make("span", "message__who", say(note.kind === "handover" ? "staff.handover_note_from" : "staff.private_note_from", { name: name })));
    item.appendChild(document.createTextNode(" "));
    var at = make("time", "message__at", LiveTranscript.timeLabel(note.at));
    at.setAttribute("datetime", note.at || "");
    item.appendChild(at);
    item.appendChild(make("p", "message__body", note.body));
    return item;
  }

  // Each note once, in its place in time among the messages; the newest known is kept for catching up.
  function addNotes(panel, notes) {
    var list = one("[data-messages]", panel.el);
    if (!list || !notes) { return; }
    var added = false;
    notes.forEach(function (note) {
      if (!note || typeof note.id !== "number" || one("[data-note='" + note.id + "']", list)) { return; }
      var at = Date.parse(note.at);
      var after = null;
      all("[data-seq], [data-note]", list).some(function (item) {
        var time = one("time", item);
        var itemAt = time ? Date.parse(time.getAttribute("datetime")) : NaN;
        if (!isNaN(itemAt) && itemAt > at) { after = item; return true; }
        return false;
      });
      list.insertBefore(drawNote(note), after);
      panel.lastNote = Math.max(panel.lastNote || 0, note.id);
      added = true;
    });
    if (!added) { return; }
    all("[data-empty-transcript]", list).forEach(function (node) { node.remove(); });
    list.scrollTop = list.scrollHeight;
    if (document.hidden || !inView(list)) { announce(say("staff.new_note", { ref: panel.ref })); }
  }

  // The server says the chat's newest note is `id` (the console's state): fetch the notes if one is missing.
  function notesBehind(panel, id) {
    if (!(id > (panel.lastNote || 0))) { return; }
    panel.lastNote = id; // asked once; the answer draws whatever is missing
    call(panel.el.getAttribute("data-messages-url") + "?after=" + panel.transcript.lastSeq).then(function (result) {
      if (result.data.ok !== false) {
        addNotes(panel, result.data.notes);
        if (result.data.messages) { panel.transcript.add(result.data.messages, true); }
      }
    });
  }

  function messagesShown(panel, added, nearEnd) {
    var list = one("[data-messages]", panel.el);
    all("[data-empty-transcript]", list).forEach(function (node) { node.remove(); });
    var fromSeeker = added.filter(function (message) { return message.sender === "seeker"; });
    if (fromSeeker.length) {
      hideTyping(panel);
      if (!hasAttention(panel)) { fromSeeker.forEach(function () { addUnread(panel); }); }
    }
    if (nearEnd || added.some(function (message) { return message.sender === "staff"; })) {
      list.scrollTop = list.scrollHeight;
    }
    // A chat scrolled out of sight, or the whole tab in the background: say which chat it was.
    if (fromSeeker.length && (document.hidden || !inView(list))) {
      announce(say("staff.new_message", { ref: panel.ref }));
    }
  }

  function inView(node) {
    var rect = node.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    var width = window.innerWidth || document.documentElement.clientWidth;
    return rect.bottom > 0 && rect.top < height && rect.right > 0 && rect.left < width;
  }

  function hasAttention(panel) {
    return !document.hidden && document.hasFocus() && panel.el.contains(document.activeElement);
  }

  function addUnread(panel) {
    var badge = one("[data-unread]", panel.el);
    if (!badge) { return; }
    panel.unread += 1;
    badge.textContent = say("staff.unread_count", { count: panel.unread });
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

  // --- regions drawn by the server -----------------------------------------------------------

  // Asks a state view for its regions and applies them: one request at a time, and a burst of
  // events makes one request.
  function refresher(scope, apply) {
    var timer = null;
    var busy = false;
    var again = false;
    function run() {
      if (!scope || stopped) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (busy) { again = true; return; }
        busy = true;
        fetchRegions(scope.getAttribute("data-state-url")).then(function (fresh) {
          busy = false;
          if (fresh && !stopped) { apply(fresh); }
          if (again) { again = false; run(); }
        });
      }, 150);
    }
    return run;
  }

  // The server's region takes the old one's place, unless the old one holds a control: something
  // being written or chosen (a reply, a colleague to pass the chat to) or a button perhaps being
  // pressed. Then only whether it shows follows the server (its form's token differs at each drawing).
  function swapRegion(old, fresh) {
    if (!old || !fresh || old.isEqualNode(fresh)) { return old; }
    if (one("textarea, select, button, input:not([type=hidden])", old)) {
      old.hidden = fresh.hidden;
      return old;
    }
    return replaceRegion(old, fresh);
  }

  // Drawn afresh; a link or button that had the focus has it again in the new drawing.
  function replaceRegion(old, fresh) {
    var focused = old.contains(document.activeElement) ? focusKey(document.activeElement) : null;
    old.replaceWith(fresh);
    var again = focused ? one(focused, fresh) : null;
    if (again) { again.focus({ preventScroll: true }); }
    return fresh;
  }

  // Each region of `fresh` marked data-swap, in place of the one of the same name in `scope`.
  function swapRegions(scope, fresh) {
    all("[data-swap]", fresh).forEach(function (region) {
      swapRegion(one("[data-swap='" + region.getAttribute("data-swap") + "']", scope), region);
    });
  }

  function focusKey(node) {
    if (node.id) { return "#" + CSS.escape(node.id); }
    if (node.getAttribute("href")) { return "a[href='" + CSS.escape(node.getAttribute("href")) + "']"; }
    if (node.form && node.type === "submit") {
      return "form[action='" + CSS.escape(node.form.getAttribute("action")) + "'] button[type=submit]";
    }
    return null;
  }

  // --- the supervisor board ------------------------------------------------------------------

  var refreshBoard = refresher(boardRoot, function (fresh) {
    var state = one("[data-board-state]", fresh);
    if (!state) { return; }
    all("[data-escalation]", state).forEach(function (row) {
      var said = function (name) { return row.getAttribute("data-" + name); };
      escalationRaised(said("escalation"), said("chat"), said("reason"), said("raised-by"));
    });
    swapRegions(boardRoot, state);
    updateLiveChatChoices(state);
  });

  // The whisper and join forms' lists of live chats follow the server's (the region holding them is
  // never redrawn, as someone may be writing a note in it); the chat chosen stays chosen if still live.
  function updateLiveChatChoices(state) {
    var offered = one("[data-live-chats]", state);
    if (!offered) { return; }
    all("[data-live-chats]", boardRoot).forEach(function (select) {
      var key = function (list) {
        return Array.prototype.map.call(list.options, function (option) { return option.value + ":" + option.text; }).join("|");
      };
      if (key(select) === key(offered)) { return; }
      var chosen = select.value;
      select.textContent = "";
      Array.prototype.forEach.call(offered.options, function (option) { select.appendChild(option.cloneNode(true)); });
      select.value = chosen;
      if (select.selectedIndex < 0 && select.options.length) { select.selectedIndex = 0; }
    });
  }

  // --- a transcript being read in ------------------------------------------------------------

  function followTranscript() {
    if (transcriptRoot.getAttribute("data-status") === "ended") { return; }
    var panel = registerPanel(transcriptRoot);
    setConnection("reading");
    var timer = setInterval(function () { panel.transcript.fill(); }, POLL_MS);
    panel.loaded = function (data) {
      if (data.status !== "ended") { return; }
      clearInterval(timer);
      panel.transcript.stop();
      var label = one("[data-transcript-status]");
      if (label) { label.textContent = say("staff.ended"); }
      if (connectionLine) { connectionLine.textContent = say("staff.chat_has_ended"); }
    };
  }

  // --- start, once every script of the page has run (the console's fills in `page`) ------------

  document.addEventListener("DOMContentLoaded", function () {
    if (consoleRoot) { all("[data-chats] [data-chat]", consoleRoot).forEach(registerPanel); }
    if (boardRoot) {
      all("[data-escalations] [data-escalation]", boardRoot).forEach(function (row) {
        knownEscalations[row.getAttribute("data-escalation")] = true;
      });
    }
    if (root) {
      setConnection("connecting");
      live.connect();
    } else {
      followTranscript();
    }
  });

  // What staff-console.js works with.
  window.StaffLive = {
    one: one, all: all, call: call, page: page, panels: panels, registerPanel: registerPanel,
    hideTyping: hideTyping, updateTitle: updateTitle, notesBehind: notesBehind, alertUser: alertUser, clearAlert: clearAlert,
    alerted: function () { return alerted; }, notify: notify, announce: announce,
    stopped: function () { return stopped; }, send: function (frame) { return !!live && live.send(frame); },
    refresher: refresher, swapRegion: swapRegion, swapRegions: swapRegions, replaceRegion: replaceRegion
  };
}());
