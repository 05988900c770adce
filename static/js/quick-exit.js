// Quick exit: leave for a neutral site at once, and leave behind in this browser as little as a web
// page can. Without JavaScript it is a plain link (then Back still returns to our page, and the
// "Browse safely" page says so).
//
// With JavaScript, leaving (the button, Esc twice or Shift three times):
// - forgets everything this site kept in the browser's storage: every sessionStorage and localStorage
//   key that starts with PREFIX. Every script of ours that stores anything (module answers, the chat
//   draft) keeps it under that prefix, so this one list is all there is to clear;
// - replaces this page's entry in the tab's history with the neutral site (location.replace), so Back
//   does not return to it;
// - leaves one mark in this tab's sessionStorage: the neutral address. Earlier pages of ours are still
//   in the tab's history and a script cannot remove them, so if Back reaches one, this script (loaded
//   in <head>, before anything is drawn) sees the mark and hands over to the neutral site at once,
//   replacing that entry too. The mark holds nothing about the person and is removed by the next
//   ordinary visit to the site.
(function () {
  "use strict";
  var PREFIX = "helpline.";
  var LEFT_MARK = PREFIX + "quick-exit";
  var root = document.documentElement;

  function store(name) {
    // Some browsers (strict privacy settings, some private modes) refuse storage: carry on without.
    try { return window[name] || null; } catch (e) { return null; }
  }

  function mark() {
    var session = store("sessionStorage");
    try {
      var target = session && session.getItem(LEFT_MARK);
      return target && /^https?:\/\//.test(target) ? target : null;
    } catch (e) {
      return null;
    }
  }

  function handOver(target) {
    root.style.visibility = "hidden";
    window.location.replace(target);
  }

  function forgetEverythingStored(target) {
    ["sessionStorage", "localStorage"].forEach(function (name) {
      var s = store(name);
      if (!s) { return; }
      try {
        for (var i = s.length - 1; i >= 0; i -= 1) {
          var key = s.key(i);
          if (key && key.indexOf(PREFIX) === 0) { s.removeItem(key); }
        }
      } catch (e) { /* nothing more can be done here */ }
    });
    var session = store("sessionStorage");
    try { if (session) { session.setItem(LEFT_MARK, target); } } catch (e) { /* storage refused */ }
  }

  function arrivedByBackOrForward() {
    try {
      var entries = window.performance.getEntriesByType("navigation");
      if (entries && entries.length) { return entries[0].type === "back_forward"; }
    } catch (e) { /* an old browser: ask the older interface */ }
    return Boolean(window.performance && window.performance.navigation &&
                   window.performance.navigation.type === 2);
  }

  // On arrival: after a quick exit from this tab, a page reached by Back or Forward is not shown.
  var left = mark();
  if (left) {
    if (arrivedByBackOrForward()) {
      handOver(left);
      return;
    }
    // Opened afresh (a link, a bookmark, the address typed): the person chose to come back.
    try { store("sessionStorage").removeItem(LEFT_MARK); } catch (e) { /* storage refused */ }
  }

  // A page kept whole for Back (the back/forward cache) is shown again exactly as it was left, without
  // loading this script again: it is hidden as it is put away, and shown again only if nobody left.
  window.addEventListener("pagehide", function (event) {
    if (event.persisted) { root.style.visibility = "hidden"; }
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    var target = mark();
    if (target) { handOver(target); } else { root.style.visibility = ""; }
  });

  function leave(event) {
    var link = document.querySelector("[data-quick-exit-link]");
    if (!link) { return; }
    if (event) { event.preventDefault(); }
    var target = link.href;
    root.style.visibility = "hidden";
    forgetEverythingStored(target);
    window.location.replace(target);
  }

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("[data-quick-exit-link]") : null;
    if (link) { leave(event); }
  });

  // Esc pressed twice, or Shift three times, within a short time also leaves.
  var WINDOW_MS = 1200;
  var presses = { Escape: [], Shift: [] };
  var needed = { Escape: 2, Shift: 3 };
  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if (!(key in presses) || event.repeat) { return; }
    var now = Date.now();
    presses[key] = presses[key].filter(function (t) { return now - t < WINDOW_MS; });
    presses[key].push(now);
    if (presses[key].length >= needed[key]) { leave(event); }
  });
}());
