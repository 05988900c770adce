// The staff console's own workings, on top of staff-live.js (messages, alerts, the socket): its forms
// sent without leaving the page, its offers and chats kept current, and keyboard shortcuts.
// Offers, chats and their status lines and the wrap-ups due are drawn by the server: the state view
// answers with the same template as the page (_console_state.html), and this script swaps those
// regions in. A chat panel already on the page is never replaced (it may hold a half-written reply,
// or the focus): only its regions marked data-swap are, and one with a control in it (the reply box,
// a button) only shows or hides. The state carries each chat's last sequence number, so a sync also
// finds a message whose event was lost.
(function () {
  "use strict";

  // Every word shown comes from the page, in the reader's language (helpline/staff/js_texts.py).
  var say = window.openDoorText;

  var TYPING_SEND_MS = 3000;
  var HEX_ID = /^[0-9a-f]{32}$/;

  var consoleRoot = document.querySelector("[data-staff-console]");
  var live = window.StaffLive;
  if (!consoleRoot || !live) { return; }

  var one = live.one;
  var all = live.all;
  var panels = live.panels;
  var serverOffset = 0; // server clock minus this browser's clock, for offer countdowns

  // --- the page's part in staff-live.js --------------------------------------------------------

  live.page.sync = live.refresher(consoleRoot, applyState);
  var syncState = live.page.sync;

  live.page.frame = function (frame) {
    switch (frame.type) {
      case "ready":
      case "availability":
        setAvailability(frame.availability);
        syncState();
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
  };

  // Messages sent over the socket, by the reference the server confirms (or refuses) them with.
  var pending = {};
  var refCounter = 0;

  live.page.answered = function (ref, ok, error) {
    var sending = pending[ref];
    delete pending[ref];
    if (sending) { finishSend(sending, ok, error); }
    return !!sending;
  };

  live.page.closed = function (why) {
    var waiting = pending;
    pending = {};
    Object.keys(waiting).forEach(function (ref) { finishSend(waiting[ref], false, why); });
  };

  live.page.panelAdded = function (panel) {
    var typingSentAt = 0;
    var box = one("[data-body]", panel.el);
    if (box) {
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          submitForm(box.form);
        }
      });
      box.addEventListener("input", function () {
        if (Date.now() - typingSentAt > TYPING_SEND_MS && live.send({ type: "typing", chat: panel.hex })) {
          typingSentAt = Date.now();
        }
      });
    }
    var tools = one(".chat-tools", panel.el);
    if (tools) {
      // Who is free changes all the time: refresh the colleagues list when the tools are opened.
      tools.addEventListener("toggle", function () { if (tools.open) { syncState(); } });
    }
  };

  // --- forms ---------------------------------------------------------------------------------

  function submitForm(form) {
    if (form.requestSubmit) { form.requestSubmit(); return; }
    form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  }

  function showFormError(form, text) {
    var line = one("[data-form-error]", form);
    if (!line) {
      if (text) { live.alertUser("error", text); }
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
      showFormError(form, say("staff.type_first"));
      return;
    }
    showFormError(form, "");
    setBusy(form, true);
    var sending = { form: form, box: box, text: text };
    var ref = "m" + (refCounter += 1);
    if (live.send({ type: "message", chat: panel.hex, body: text, ref: ref })) {
      pending[ref] = sending;
      return;
    }
    live.call(form.action, new FormData(form)).then(function (result) {
      if (result.data.ok && result.data.message) { panel.transcript.add([result.data.message]); }
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
    if (!consoleRoot.contains(form)) { return; }
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
    live.call(form.action, data).then(function (result) {
      setBusy(form, false);
      if (result.data.ok) {
        showFormError(form, "");
        if (result.data.availability) { setAvailability(result.data.availability); }
        live.notify(result.data.notice);
      } else {
        showFormError(form, result.data.error.message);
      }
      syncState();
    });
  });

  // --- offers, chats and wrap-ups due, as the server draws them --------------------------------

  // The server's items: one already here stays where it is (`update` may hand back a replacement,
  // drawn in its place; never moved, as moving an element takes the focus from it), a new one is
  // taken as drawn and put after the one the server drew before it, one gone is removed.
  function reconcile(list, freshList, attribute, update, arrived, gone) {
    var wanted = {};
    var previous = null;
    all("[" + attribute + "]", freshList).forEach(function (fresh) {
      var key = fresh.getAttribute(attribute);
      if (!HEX_ID.test(key)) { return; }
      wanted[key] = true;
      var node = one("[" + attribute + "='" + key + "']", list);
      if (node) {
        node = update(node, fresh);
      } else {
        node = fresh;
        list.insertBefore(node, previous ? previous.nextElementSibling : list.firstElementChild);
        arrived(node);
      }
      previous = node;
    });
    all("[" + attribute + "]", list).forEach(function (node) {
      if (!wanted[node.getAttribute(attribute)]) {
        gone(node);
        node.remove();
      }
    });
    return wanted;
  }

  function applyState(fresh) {
    var state = one("[data-console-state]", fresh);
    if (!state) { return; }
    var now = Date.parse(state.getAttribute("data-now"));
    if (!isNaN(now)) { serverOffset = now - Date.now(); }
    setAvailability(state.getAttribute("data-availability"));
    live.swapRegion(one("[data-wrap-up-banner]", consoleRoot), one("[data-wrap-up-banner]", state));
    applyOffers(state);
    applyChats(state);
  }

  function applyOffers(state) {
    var list = one("[data-offers]", consoleRoot);
    var wanted = reconcile(list, one("[data-offers]", state), "data-offer", function (node, fresh) {
      // The same chat offered again has a new time limit: drawn afresh, countdown and buttons too.
      if (node.getAttribute("data-expires") !== fresh.getAttribute("data-expires")) {
        return live.replaceRegion(node, fresh);
      }
      live.swapRegions(node, fresh);
      return node;
    }, function (node) {
      var language = one("[data-field=language]", node).textContent;
      var about = one("[data-field=about]", node).textContent.toLowerCase();
      var words = say("staff.offer_alert", { language: language, about: about });
      var urgent = all("[data-triage]", node).map(function (flag) { return flag.textContent; });
      if (urgent.length) { words = urgent.join(". ") + ". " + words; }
      live.alertUser("offer", words, null, node.getAttribute("data-offer"));
    }, function () { return undefined; });
    // The alert about an offer goes once that offer is accepted, declined or withdrawn.
    var alerted = live.alerted();
    if (alerted.kind === "offer" && (alerted.chat ? !wanted[alerted.chat] : !Object.keys(wanted).length)) { live.clearAlert(); }
    live.swapRegion(one("[data-no-offers]", consoleRoot), one("[data-no-offers]", state));
    tick();
  }

  function applyChats(state) {
    reconcile(one("[data-chats]", consoleRoot), one("[data-chats]", state), "data-chat", function (node, fresh) {
      updatePanel(panels[node.getAttribute("data-chat")], fresh);
      return node;
    }, function (node) {
      live.registerPanel(node).transcript.behind(Number(node.getAttribute("data-last-seq")) || 0);
    }, function (node) {
      delete panels[node.getAttribute("data-chat")];
    });
    live.swapRegion(one("[data-no-chats]", consoleRoot), one("[data-no-chats]", state));
    live.updateTitle();
    if (arrivalChat) { arrivalChatDrawn(); }
  }

  function updatePanel(panel, fresh) {
    var status = fresh.getAttribute("data-status") || "";
    if (status === "ended" && panel.status && panel.status !== "ended") {
      live.notify(say("staff.chat_ended_wrap_up", { ref: panel.ref }));
    }
    panel.status = status;
    panel.el.setAttribute("data-status", status);
    panel.el.className = fresh.className;
    if (status === "ended") { live.hideTyping(panel); }
    live.swapRegions(panel.el, fresh);
    updateColleagues(panel, fresh);
    panel.transcript.behind(Number(fresh.getAttribute("data-last-seq")) || 0);
    live.notesBehind(panel, Number(fresh.getAttribute("data-last-note")) || 0);
  }

  function updateColleagues(panel, fresh) {
    var select = one("[data-colleagues]", panel.el);
    var offered = one("[data-colleagues]", fresh);
    function key(list) {
      return Array.prototype.map.call(list.options, function (option) { return option.value + ":" + option.text; }).join("|");
    }
    if (!select || !offered || key(select) === key(offered)) { return; }
    var chosen = select.value;
    select.textContent = "";
    Array.prototype.slice.call(offered.options).forEach(function (option) { select.appendChild(option); });
    select.value = chosen;
    if (select.selectedIndex < 0) { select.selectedIndex = 0; } // back to the queue
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

  function setAvailability(value) {
    if (!value) { return; }
    // The availability buttons live in the page header (the staff shell), outside the console.
    all("[data-availability] button[name=availability]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === value ? "true" : "false");
    });
    var hint = one("[data-offer-hint]", consoleRoot);
    if (hint) { hint.hidden = value === "available"; }
  }

  // Offers count down to the second; one that has run out is shut and the server asked what now.
  function tick() {
    all("[data-offer]", consoleRoot).forEach(function (offer) {
      var expires = Date.parse(offer.getAttribute("data-expires"));
      var line = one("[data-countdown]", offer);
      if (isNaN(expires) || !line) { return; }
      var left = Math.ceil((expires - (Date.now() + serverOffset)) / 1000);
      if (left > 0) {
        line.textContent = say("staff.seconds_to_accept", { seconds: left });
        return;
      }
      if (!offer.classList.contains("offer--expired")) {
        offer.classList.add("offer--expired");
        line.textContent = say("staff.offer_run_out");
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
      live.announce(livePanels().length ? say("staff.that_chat_ended") : say("staff.no_live_chats"));
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
      live.announce(say("staff.no_live_chats"));
      return;
    }
    var at = list.indexOf(currentPanel());
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : (at + step + list.length) % list.length;
    focusReply(list[next]);
    if (list.length === 1 && at === 0) { live.announce(say("staff.only_live_chat")); }
  }

  function acceptFirstOffer() {
    var form = all("[data-offers] [data-offer]", consoleRoot).filter(function (offer) {
      return !offer.classList.contains("offer--expired");
    }).map(function (offer) { return one("form[data-accept]", offer); }).filter(function (found) {
      return found && !one("button[type=submit]", found).disabled;
    })[0];
    if (!form) {
      live.announce(say("staff.no_offer_now"));
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
      if (panel) { focusReply(panel); } else { live.announce(say("staff.no_live_chats")); }
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
      if (event.defaultPrevented || live.stopped()) { return; }
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

  // --- start ---------------------------------------------------------------------------------

  var now = Date.parse(one("[data-console-state]", consoleRoot).getAttribute("data-now"));
  if (!isNaN(now)) { serverOffset = now - Date.now(); }
  if (all("[data-offers] [data-offer]", consoleRoot).length) {
    live.alertUser("offer", say("staff.offer_waiting"));
  }
  startShortcuts();
  setInterval(tick, 1000);
}());
