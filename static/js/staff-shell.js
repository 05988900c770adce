// The staff page shell, on every staff page: keeps the signed-in person present (a light pulse, not
// the console's socket, so reading the inbox or writing a wrap-up never counts as leaving work),
// shows chats offered to them with Accept wherever they are, flags the tab title, and — only if they
// switch it on with a click — plays a sound and shows a desktop notification for a new offer. On pages
// other than the console it lists their live chats with unread counts and whether each seeker is
// still there, and announces a new message. Text from the server is only ever set with textContent.
(function () {
  "use strict";

  // Every word shown comes from the page, in the reader's language (helpline/staff/js_texts.py).
  var say = window.openDoorText;

  function one(selector, scope) { return (scope || document).querySelector(selector); }
  function all(selector, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(selector)); }
  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // How every staff page's script asks its own server.
  function requestOptions(accept, body) {
    var options = {
      method: body ? "POST" : "GET",
      headers: { "Accept": accept },
      credentials: "same-origin",
      cache: "no-store",
      // Keeps the Origin header on our own POSTs (Django's CSRF check needs it) whatever the page's policy.
      referrerPolicy: "same-origin"
    };
    if (body) {
      options.body = body;
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      options.headers["X-CSRFToken"] = token ? token.value : "";
    }
    return options;
  }

  // For the scripts of particular staff pages (staff-live.js), which load after this one.
  window.StaffShell = { one: one, all: all, make: make, requestOptions: requestOptions, setQueue: setQueue, announcerFor: announcerFor };

  var shell = document.querySelector("[data-staff-shell]");
  if (!shell) { return; }

  var HEX_ID = /^[0-9a-f]{32}$/;
  var pulseUrl = shell.getAttribute("data-pulse-url");
  var consoleUrl = shell.getAttribute("data-console-url");
  var pulseMs = Math.max(1, Number(shell.getAttribute("data-pulse-seconds")) || 5) * 1000;
  var onConsole = !!document.querySelector("[data-staff-console]");
  var csrfInput = shell.querySelector("input[name=csrfmiddlewaretoken]");
  var csrfToken = csrfInput ? csrfInput.value : "";
  var baseTitle = document.title;
  var serverOffset = 0;
  var knownOffers = {};
  var firstPulse = true;
  var offers = [];
  var unreadTotal = 0;

  function store() {
    try { return window.localStorage; } catch (error) { return null; }
  }
  function remembered(key) {
    var s = store();
    return s ? s.getItem("staff-shell:" + key) : null;
  }
  function remember(key, value) {
    var s = store();
    if (!s) { return; }
    if (value === null) { s.removeItem("staff-shell:" + key); } else { s.setItem("staff-shell:" + key, String(value)); }
  }

  function request(url, body) {
    return fetch(url, requestOptions("application/json", body)).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).catch(function () { return { status: 0, data: {} }; });
  }

  // Polite and unseen: words a screen reader user would otherwise miss. The region is emptied first and
  // filled a moment later, so the same words twice are read twice.
  function announcerFor(region) {
    var timer = null;
    return function (text) {
      if (!region || !text) { return; }
      region.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(function () { region.textContent = text; }, 50);
    };
  }

  var announce = announcerFor(one("[data-shell-announce]", shell));

  // --- availability, from the header of any page --------------------------------------------

  var availabilityForm = one("[data-availability]", shell);
  var lastSubmitter = null;

  function setAvailability(value) {
    all("[data-availability] button[name=availability]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === value ? "true" : "false");
    });
    var hint = one("[data-offer-hint]");
    if (hint) { hint.hidden = value === "available"; }
  }

  if (availabilityForm) {
    availabilityForm.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[name=availability]") : null;
      if (button) { lastSubmitter = button; }
    });
    availabilityForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter || lastSubmitter;
      if (!button) { return; }
      var data = new FormData(availabilityForm);
      data.append("availability", button.value);
      request(availabilityForm.action, data).then(function (result) {
        if (result.data && result.data.ok) {
          setAvailability(result.data.availability);
          announce(say("staff.you_are_now", { availability: button.textContent.trim().toLowerCase() }));
          pulse();
        } else {
          announce((result.data && result.data.error && result.data.error.message) || say("staff.try_again"));
        }
      });
    });
  }

  // --- queue --------------------------------------------------------------------------------

  // The words come from the server (helpline.chat.queue.longest_wait_words), as in the page itself.
  function setQueue(queue) {
    var count = one("[data-queue-waiting]", shell);
    if (count && typeof queue.waiting === "number") { count.textContent = String(queue.waiting); }
    var oldest = one("[data-queue-oldest]", shell);
    if (oldest && typeof queue.oldest_wait_words === "string") { oldest.textContent = queue.oldest_wait_words; }
  }

  // --- offers: banner, title, sound and desktop notification ------------------------------------

  var banner = one("[data-offer-banner]", shell);
  var bannerList = one("[data-offer-banner-list]", shell);

  function offerItem(offer) {
    var item = make("li", "offer-banner__item");
    item.setAttribute("data-offer", offer.chat);
    item.setAttribute("data-expires", offer.expires_at || "");
    item.appendChild(make("strong", "", say("staff.new_chat_offered")));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(make("span", "chat-ref", offer.ref));
    item.appendChild(document.createTextNode(" "));
    (offer.triage || []).forEach(function (label) {
      item.appendChild(make("span", "flag flag--triage", label));
      item.appendChild(document.createTextNode(" "));
    });
    item.appendChild(make("span", "meta", offer.language_name + (offer.about ? " · " + offer.about : "")));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(presenceBadge(offer.seeker));
    item.appendChild(document.createTextNode(" "));
    var countdown = make("span", "offer-banner__countdown");
    countdown.setAttribute("data-countdown", "");
    item.appendChild(countdown);
    var form = make("form");
    form.method = "post";
    form.action = offer.accept_url;
    form.setAttribute("data-shell-accept", "");
    var token = make("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfToken;
    form.appendChild(token);
    var button = make("button", "button", say("staff.accept"));
    button.type = "submit";
    form.appendChild(button);
    item.appendChild(form);
    return item;
  }

  function presenceBadge(seeker) {
    var badge = make("span", "");
    badge.setAttribute("data-seeker-presence", "");
    setPresence(badge, seeker);
    return badge;
  }

  function setPresence(badge, seeker) {
    if (!seeker) { return; }
    badge.className = "seeker-presence seeker-presence--" + seeker.state;
    badge.setAttribute("data-state", seeker.state);
    badge.textContent = seeker.label;
  }

  function applyOffers(list) {
    offers = list.filter(function (offer) { return HEX_ID.test(offer.chat); });
    var wanted = {};
    offers.forEach(function (offer) {
      wanted[offer.chat] = true;
      if (!knownOffers[offer.chat]) {
        knownOffers[offer.chat] = true;
        if (!firstPulse) { offerArrived(offer); } // one already shown when the page loaded is no news
      }
      if (!bannerList || onConsole) { return; }
      var item = one("[data-offer='" + offer.chat + "']", bannerList);
      if (!item) {
        item = offerItem(offer);
        bannerList.appendChild(item);
      } else {
        item.setAttribute("data-expires", offer.expires_at || "");
        var badge = one("[data-seeker-presence]", item);
        if (badge) { setPresence(badge, offer.seeker); }
      }
    });
    Object.keys(knownOffers).forEach(function (hex) { if (!wanted[hex]) { delete knownOffers[hex]; } });
    if (bannerList) {
      all("[data-offer]", bannerList).forEach(function (item) {
        if (!wanted[item.getAttribute("data-offer")] && !item.hasAttribute("data-accepted")) { item.remove(); }
      });
    }
    if (banner) { banner.hidden = onConsole || !bannerList || !bannerList.children.length; }
    // The console shows its own offers, with the seeker's presence beside each.
    offers.forEach(function (offer) {
      all("[data-staff-console] [data-offer='" + offer.chat + "'] [data-seeker-presence]").forEach(function (badge) {
        setPresence(badge, offer.seeker);
      });
    });
    tick();
    updateTitle();
  }

  function offerArrived(offer) {
    var words = offer.about
      ? say("staff.offer_words_about", { language: offer.language_name, about: offer.about.toLowerCase() })
      : say("staff.offer_words", { language: offer.language_name });
    // An urgent chat says so first (the labels are already in the reader's language).
    if (offer.triage && offer.triage.length) { words = offer.triage.join(". ") + ". " + words; }
    if (!onConsole) { announce(say("staff.accept_at_top", { offer: words })); }
    if (remembered("sound") === "on") { beep(); }
    if (remembered("notify") === "on" && window.Notification && Notification.permission === "granted") {
      try {
        var note = new Notification(say("staff.new_chat_offered"), { body: words, tag: "offer-" + offer.chat });
        note.onclick = function () { window.focus(); note.close(); };
      } catch (error) { /* some browsers only allow notifications from a service worker */ }
    }
  }

  var audio = null;
  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      audio = audio || new Context();
      if (audio.state === "suspended") { audio.resume(); }
      [0, 0.25].forEach(function (delay) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.frequency.value = 660;
        gain.gain.setValueAtTime(0.0001, audio.currentTime + delay);
        gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + delay + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + delay + 0.18);
        tone.connect(gain);
        gain.connect(audio.destination);
        tone.start(audio.currentTime + delay);
        tone.stop(audio.currentTime + delay + 0.2);
      });
    } catch (error) { /* no sound is better than a broken page */ }
  }

  function tick() {
    var now = Date.now() + serverOffset;
    all("[data-offer-banner] [data-offer]").forEach(function (item) {
      var countdown = one("[data-countdown]", item);
      var expires = Date.parse(item.getAttribute("data-expires"));
      if (!countdown || isNaN(expires) || item.hasAttribute("data-accepted")) { return; }
      var left = Math.max(0, Math.round((expires - now) / 1000));
      countdown.textContent = left ? say("staff.seconds_to_accept", { seconds: left }) : say("staff.back_to_queue");
    });
  }
  setInterval(tick, 1000);

  function updateTitle() {
    if (onConsole) { return; } // the console keeps its own title (unread counts and alerts)
    var title = unreadTotal ? say("staff.title_unread", { count: unreadTotal, title: baseTitle }) : baseTitle;
    document.title = offers.length ? say("staff.title_offer", { title: title }) : title;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-shell-accept")) { return; }
    event.preventDefault();
    var item = form.closest("[data-offer]");
    var hex = item ? item.getAttribute("data-offer") : "";
    var button = one("button", form);
    if (button) { button.disabled = true; }
    request(form.action, new FormData(form)).then(function (result) {
      if (button) { button.disabled = false; }
      if (result.data && result.data.ok) {
        var target = consoleUrl + "#chat-" + hex;
        if (unsavedWriting()) {
          // Never throw away what the person was writing: the chat waits one click away.
          if (item) {
            var ref = one(".chat-ref", item);
            var accepted = say("staff.chat_accepted", { ref: ref ? ref.textContent : "" }) + " ";
            item.setAttribute("data-accepted", "");
            item.textContent = "";
            item.appendChild(make("strong", "", accepted));
            var link = make("a", "button", say("staff.go_to_chat"));
            link.href = target;
            item.appendChild(link);
          }
          announce(say("staff.accepted_save_first"));
        } else {
          window.location.assign(target);
        }
      } else {
        announce((result.data && result.data.error && result.data.error.message) || say("staff.offer_gone"));
        pulse();
      }
    });
  });

  function unsavedWriting() {
    return all("main textarea, main input[type=text]").some(function (field) { return field.value.trim() !== ""; });
  }

  // --- live chats: unread counts and the seeker's presence --------------------------------------

  var chatsBox = one("[data-shell-chats]", shell);
  var chatList = one("[data-shell-chat-list]", shell);

  function seenSeq(hex) { return Number(remembered("seen:" + hex)) || 0; }

  function applyChats(chats) {
    var wanted = {};
    var total = 0;
    chats.forEach(function (chat) {
      if (!HEX_ID.test(chat.chat)) { return; }
      wanted[chat.chat] = true;
      var seqs = chat.seeker_seqs || [];
      var newest = seqs.length ? seqs[seqs.length - 1] : 0;
      // On the console every message is on screen (the console counts its own unread); elsewhere a
      // message is new until the person has had the console open with that chat in it.
      if (onConsole) { remember("seen:" + chat.chat, newest); }
      var seen = seenSeq(chat.chat);
      var unread = seqs.filter(function (seq) { return seq > seen; }).length;
      total += unread;
      all("[data-staff-console] [data-chat='" + chat.chat + "'] [data-seeker-presence]").forEach(function (badge) {
        setPresence(badge, chat.seeker);
      });
      all("[data-staff-console] [data-chat='" + chat.chat + "'] [data-close-left]").forEach(function (form) {
        form.hidden = !chat.seeker || chat.seeker.state !== "gone";
      });
      if (!chatList || onConsole) { return; }
      var item = one("[data-shell-chat='" + chat.chat + "']", chatList);
      if (!item) {
        item = make("li");
        item.setAttribute("data-shell-chat", chat.chat);
        var link = make("a", "", say("staff.chat_ref", { ref: chat.ref }));
        link.href = chat.url;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" "));
        var badge = make("span", "unread");
        badge.setAttribute("data-unread", "");
        badge.hidden = true;
        item.appendChild(badge);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(presenceBadge(chat.seeker));
        chatList.appendChild(item);
      }
      var unreadBadge = one("[data-unread]", item);
      var before = Number(item.getAttribute("data-unread-count")) || 0;
      item.setAttribute("data-unread-count", String(unread));
      if (unreadBadge) {
        unreadBadge.hidden = !unread;
        unreadBadge.textContent = unread ? say("staff.unread_count", { count: unread }) : "";
      }
      setPresence(one("[data-seeker-presence]", item), chat.seeker);
      if (unread > before && !firstPulse) {
        announce(say("staff.new_message_in", { ref: chat.ref }));
      }
    });
    if (chatList) {
      all("[data-shell-chat]", chatList).forEach(function (item) {
        if (!wanted[item.getAttribute("data-shell-chat")]) { item.remove(); }
      });
    }
    if (chatsBox) { chatsBox.hidden = onConsole || !chatList || !chatList.children.length; }
    unreadTotal = total;
    updateTitle();
  }

  // --- the person's shift, break and debrief request (helpline.staff.wellbeing) ---------------

  // The server draws the line (the same template as the page's header); it is swapped in only when its
  // words change, and a button that had focus gets it back. A break starting is announced.
  var wellbeingBox = one("[data-wellbeing-status]", shell);

  function applyWellbeing(html) {
    if (!wellbeingBox || typeof html !== "string") { return; }
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var fresh = holder.content;
    if (fresh.textContent.replace(/\s+/g, " ").trim() === wellbeingBox.textContent.replace(/\s+/g, " ").trim()) { return; }
    var hadBreak = !!one("[data-break-notice]", wellbeingBox);
    var focused = wellbeingBox.contains(document.activeElement) ? document.activeElement.form : null;
    var focusedAction = focused ? focused.getAttribute("action") : null;
    all("[data-back-here]", fresh).forEach(function (input) { input.value = location.pathname + location.search; });
    wellbeingBox.textContent = "";
    wellbeingBox.appendChild(fresh);
    var breakNotice = one("[data-break-notice]", wellbeingBox);
    if (breakNotice && !hadBreak) { announce(breakNotice.querySelector("p").textContent); }
    if (focusedAction) {
      var again = one("form[action='" + CSS.escape(focusedAction) + "'] button", wellbeingBox);
      if (again) { again.focus({ preventScroll: true }); }
    }
  }

  // --- the pulse ----------------------------------------------------------------------------

  var pulseTimer = null;
  var pulsing = false;

  function pulse() {
    if (pulsing) { return; }
    pulsing = true;
    clearTimeout(pulseTimer);
    request(pulseUrl).then(function (result) {
      pulsing = false;
      pulseTimer = setTimeout(pulse, pulseMs);
      if (result.status === 401) {
        announce(say("staff.signed_out_please_reload"));
        return;
      }
      if (result.status !== 200) { return; } // a blip: the next pulse tries again
      var state = result.data;
      var now = Date.parse(state.now);
      if (!isNaN(now)) { serverOffset = now - Date.now(); }
      if (!onConsole) { setAvailability(state.availability); }
      setQueue(state.queue);
      applyOffers(state.offers || []);
      applyChats(state.chats || []);
      applyWellbeing(state.wellbeing_html);
      firstPulse = false;
    });
  }

  // A tab coming back to the front checks in at once (browsers slow timers in background tabs).
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { pulse(); } });
  pulse();

  // --- opt-in sound and desktop notifications (asked for on a click, never on load) -------------

  var soundToggle = one("[data-sound-toggle]", shell);
  var notifyToggle = one("[data-notify-toggle]", shell);

  function showToggles() {
    if (soundToggle) {
      var soundOn = remembered("sound") === "on";
      soundToggle.hidden = false;
      soundToggle.setAttribute("aria-pressed", soundOn ? "true" : "false");
      soundToggle.textContent = soundOn ? say("staff.sound_on") : say("staff.sound_off");
    }
    if (notifyToggle && window.Notification) {
      var notifyOn = remembered("notify") === "on" && Notification.permission === "granted";
      notifyToggle.hidden = false;
      notifyToggle.setAttribute("aria-pressed", notifyOn ? "true" : "false");
      notifyToggle.textContent = notifyOn ? say("staff.alerts_on") : (Notification.permission === "denied" ? say("staff.alerts_blocked") : say("staff.alerts_off"));
    }
  }

  if (soundToggle) {
    soundToggle.addEventListener("click", function () {
      var on = remembered("sound") !== "on";
      remember("sound", on ? "on" : null);
      if (on) { beep(); } // a click lets the browser play sound later, and lets the person hear it
      showToggles();
    });
  }
  if (notifyToggle) {
    notifyToggle.addEventListener("click", function () {
      if (!window.Notification) { return; }
      if (remembered("notify") === "on") {
        remember("notify", null);
        showToggles();
        return;
      }
      Promise.resolve(Notification.requestPermission()).then(function (permission) {
        remember("notify", permission === "granted" ? "on" : null);
        showToggles();
      });
    });
  }
  showToggles();
}());
