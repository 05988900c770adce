// The live transcript, shared by the seeker's chat (chat.js) and the staff pages (staff-console.js):
// "nothing lost, nothing twice", written once. Each page draws its own messages and reads its own
// frames; this file owns the rest:
//
// - LiveTranscript.connection: the WebSocket, reconnecting with backoff (2, 4, 8, 15 s, each a
//   little earlier or later so that pages cut off together do not all come back in the same second),
//   polling while the socket is down, a ping to keep it open, and a catch-up now and then (CATCH_UP_MS),
//   when the page comes back into view and when the browser comes back online.
// - LiveTranscript.transcript: one chat's messages, in sequence-number order, each shown once. A number
//   that skips one means an event was lost (the server's Redis restarting as it was sent; the message
//   itself is stored): what is missing is fetched at once, over the socket when the page can ask there,
//   otherwise from the page's messages address. A message the server numbered but that never came
//   (OWN_MESSAGE_MS) is fetched the same way.
//
// Plain script, no build step: the page loads this file (defer) before its own.
(function () {
  "use strict";

  var CATCH_UP_MS = 25000;
  var OWN_MESSAGE_MS = 2000; // "sent" came with a number, but not the message itself: ask after this long
  var ANSWER_MS = 10000; // a request for missing messages not answered by then may be made again
  var MAX_BACKOFF_MS = 15000;

  function seqOf(item) { return parseInt(item.getAttribute("data-seq"), 10) || 0; }

  // --- one chat's messages ---------------------------------------------------------------------
  // options.draw(message) -> the element to show it (the page's own markup; text only by textContent);
  // options.shown(messages, measured): after messages were added, in order (unread counts, scrolling),
  //   with what options.measure() returned just before they went in (is the end of the list in view?);
  // options.askOverSocket(after) -> true if asked over the socket (the answer comes back as answer());
  // options.load(after) -> a promise of {messages, ...} from the page's address, or null if that failed;
  // options.loaded(data): the rest of that answer (the seeker's page reads the chat's state from it).
  function Transcript(list, options) {
    var self = this;
    this.list = list;
    this.options = options;
    this.seen = {};
    this.lastSeq = 0; // every message up to this one is shown: the page asks for anything after it
    this.highest = 0;
    this.askedAt = 0; // when missing messages were last asked for, and not yet answered
    this.stopped = false;
    Array.prototype.forEach.call(list.querySelectorAll("[data-seq]"), function (item) {
      var seq = seqOf(item);
      self.seen[seq] = true;
      self.highest = Math.max(self.highest, seq);
    });
    this.lastSeq = this.highest; // the server drew the page with every message up to its newest
  }

  // Adds what is new, in its place by number; a gap left behind is filled at once unless `answering`
  // (an answer to "anything after N?" is all there is: asking again would only loop).
  Transcript.prototype.add = function (messages, answering) {
    var self = this;
    var batch = {};
    var fresh = (messages || []).filter(function (m) {
      if (!m || typeof m.seq !== "number" || self.seen[m.seq] || batch[m.seq]) { return false; }
      batch[m.seq] = true;
      return true;
    }).sort(function (a, b) { return a.seq - b.seq; });
    if (fresh.length) {
      var measured = this.options.measure ? this.options.measure() : null;
      fresh.forEach(function (message) {
        self.seen[message.seq] = true;
        self.highest = Math.max(self.highest, message.seq);
        var item = self.options.draw(message);
        item.setAttribute("data-seq", String(message.seq));
        self.list.insertBefore(item, self.itemAfter(message.seq));
      });
      while (this.seen[this.lastSeq + 1]) { this.lastSeq += 1; }
      if (this.options.shown) { this.options.shown(fresh, measured); }
    }
    if (!answering && this.highest > this.lastSeq) { this.fill(); }
    return fresh;
  };

  Transcript.prototype.itemAfter = function (seq) {
    var items = this.list.querySelectorAll("[data-seq]");
    for (var i = 0; i < items.length; i += 1) {
      if (seqOf(items[i]) > seq) { return items[i]; }
    }
    return null;
  };

  // "Anything after N?": one request at a time, and one whose answer was lost is not waited for forever.
  Transcript.prototype.fill = function () {
    var self = this;
    var options = this.options;
    if (this.stopped || (this.askedAt && Date.now() - this.askedAt < ANSWER_MS)) { return; }
    this.askedAt = Date.now();
    if (options.askOverSocket && options.askOverSocket(this.lastSeq)) { return; }
    options.load(this.lastSeq).then(function (data) {
      self.askedAt = 0;
      if (!data || self.stopped) { return; }
      self.add(data.messages, true);
      if (options.loaded) { options.loaded(data); }
    });
  };

  // The socket's answer to askOverSocket.
  Transcript.prototype.answer = function (messages) {
    this.askedAt = 0;
    this.add(messages, true);
  };

  // The socket closed: a question asked over it will not be answered.
  Transcript.prototype.forget = function () { this.askedAt = 0; };

  // The server says the chat's newest message is `seq` (its state, a page's poll).
  Transcript.prototype.behind = function (seq) {
    if (seq > this.lastSeq) { this.fill(); }
  };

  // The server numbered this page's own message `seq`; its event normally follows within a moment.
  // If that event was lost, the chat may otherwise be quiet and nothing would show the gap.
  Transcript.prototype.expect = function (seq) {
    var self = this;
    if (this.seen[seq]) { return; }
    setTimeout(function () { if (!self.seen[seq]) { self.fill(); } }, OWN_MESSAGE_MS);
  };

  Transcript.prototype.stop = function () { this.stopped = true; };

  // --- the socket, with polling while it is down -------------------------------------------------
  // options.path: the socket's path on this host; pingMs; pollMs; pollAfter: failures in a row before
  //   polling starts (a socket that closed counts as one: the seeker's page tries once more first),
  //   and polling stops once a socket answers;
  // options.opened(): the socket is open (send a greeting, resend what was not confirmed);
  // options.heard(): the server has answered on it (the connection works);
  // options.frame(frame): every frame, parsed; options.pinged(): after each ping;
  // options.closed(event) -> false to stop for good (the staff sign-in has ended);
  // options.polling(): polling has started; options.poll(): one poll;
  // options.catchUp(): the periodic check, also when the page comes back into view;
  // options.catchUpMs: how often (CATCH_UP_MS unless the page says).
  function Connection(options) {
    var self = this;
    this.options = options;
    this.socket = null;
    this.open = false;
    this.heard = false;
    this.failures = 0;
    this.stopped = false;
    this.timers = {};
    document.addEventListener("visibilitychange", function () {
      if (document.hidden || self.stopped) { return; }
      if (self.open) { options.catchUp(); } else if (self.timers.poll) { options.poll(); }
    });
    window.addEventListener("online", function () {
      if (self.stopped) { return; }
      if (!self.open) { self.connect(); }
      options.poll();
    });
  }

  Connection.prototype.connect = function () {
    var self = this;
    var options = this.options;
    if (this.stopped || this.socket) { return; } // stopped, or already open or opening
    clearTimeout(this.timers.retry);
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + window.location.host + options.path);
    } catch (error) {
      this.lost(null);
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", function () {
      self.open = true;
      self.every("ping", options.pingMs, function () {
        self.send({ type: "ping" });
        if (options.pinged) { options.pinged(); }
      });
      self.every("catchUp", options.catchUpMs || CATCH_UP_MS, options.catchUp);
      if (options.opened) { options.opened(); }
    });
    socket.addEventListener("message", function (event) {
      // A socket counts as working once the server has said something on it: one that opens and
      // closes again at once (a proxy refusing it, say) is a failure like one that never opened.
      if (!self.heard) {
        self.heard = true;
        self.failures = 0;
        self.stopPolling();
        if (options.heard) { options.heard(); }
      }
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; } // a frame we cannot read
      if (frame && typeof frame.type === "string") { options.frame(frame); }
    });
    socket.addEventListener("close", function (event) {
      if (self.socket === socket) { self.lost(event); }
    });
  };

  Connection.prototype.every = function (name, ms, action) {
    clearInterval(this.timers[name]);
    this.timers[name] = setInterval(action, ms);
  };

  Connection.prototype.lost = function (event) {
    this.open = false;
    this.heard = false;
    this.socket = null;
    clearInterval(this.timers.ping);
    clearInterval(this.timers.catchUp);
    if (this.stopped) { return; }
    if (this.options.closed && this.options.closed(event) === false) {
      this.stop();
      return;
    }
    this.failures += 1;
    if (this.failures >= (this.options.pollAfter || 1)) { this.startPolling(); }
    var delay = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, Math.min(this.failures, 4)));
    var self = this;
    this.timers.retry = setTimeout(function () { self.connect(); }, delay * (0.75 + Math.random() * 0.5));
  };

  Connection.prototype.send = function (frame) {
    if (!this.open || !this.socket) { return false; }
    this.socket.send(JSON.stringify(frame));
    return true;
  };

  // The connection seems stalled (a message not confirmed): close it, and so reconnect.
  Connection.prototype.restart = function () {
    if (this.socket) { this.socket.close(); }
  };

  Connection.prototype.startPolling = function () {
    if (this.stopped) { return; }
    if (this.options.polling) { this.options.polling(); } // again too: a socket may have opened meanwhile
    if (this.timers.poll) { return; }
    this.options.poll();
    this.timers.poll = setInterval(this.options.poll, this.options.pollMs);
  };

  Connection.prototype.stopPolling = function () {
    clearInterval(this.timers.poll);
    this.timers.poll = null;
  };

  Connection.prototype.stop = function () {
    this.stopped = true;
    this.stopPolling();
    clearInterval(this.timers.ping);
    clearInterval(this.timers.catchUp);
    clearTimeout(this.timers.retry);
    var socket = this.socket;
    this.socket = null;
    this.open = false;
    if (socket) { socket.close(); }
  };

  // A message's time as the server writes it in the transcripts it draws (14:05), in this browser's
  // time zone: live frames carry only the moment.
  function timeLabel(iso) {
    var at = new Date(iso);
    if (isNaN(at.getTime())) { return ""; }
    return ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
  }

  window.LiveTranscript = {
    transcript: function (list, options) { return new Transcript(list, options); },
    connection: function (options) { return new Connection(options); },
    timeLabel: timeLabel
  };
}());
