// Guided module answers stay in this browser. Nothing here talks to the network: answers are kept in
// sessionStorage (gone when the tab closes) unless the person ticks "Remember my answers on this
// device", which moves them to localStorage. Download builds a text file in the browser; Delete
// removes the answers from both stores and from the page.
(function () {
  "use strict";
  var root = document.querySelector("[data-module-answers]");
  if (!root) { return; }

  var slug = root.getAttribute("data-module-slug") || "module";
  // Every word shown comes from the page, in its language (templates/_js_texts.html, static/js/texts.js).
  function text(key, values) { return window.openDoorText ? window.openDoorText(key, values) : key; }
  var title = root.getAttribute("data-module-title") || text("resources.answers.default_title");
  // Under "helpline.", the prefix of every key this site stores: Quick exit (quick-exit.js) clears them all.
  var KEY = "helpline.module-answers." + slug;
  var tools = root.querySelector("[data-answers-tools]");
  var noJsNote = root.querySelector("[data-answers-nojs]");
  var remember = root.querySelector("[data-answers-remember]");
  var downloadButton = root.querySelector("[data-answers-download]");
  var deleteButton = root.querySelector("[data-answers-delete]");
  var statusLine = root.querySelector("[data-answers-status]");
  var exercises = Array.prototype.slice.call(root.querySelectorAll("[data-exercise]"));

  function store(name) {
    // Some browsers (private modes, strict settings) refuse storage; the page must still work.
    try {
      var s = window[name];
      var probe = KEY + ".probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null;
    }
  }
  var session = store("sessionStorage");
  var local = store("localStorage");

  function say(message) {
    if (statusLine) { statusLine.textContent = message; }
  }

  function read(s) {
    if (!s) { return null; }
    try {
      var raw = s.getItem(KEY);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function remembering() {
    return Boolean(local && read(local));
  }

  function activeStore() {
    return (remember && remember.checked) ? local : session;
  }

  function collect() {
    var answers = {};
    exercises.forEach(function (exercise) {
      var key = exercise.getAttribute("data-answer-key");
      var inputs = exercise.querySelectorAll("[data-answer-input]");
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.type === "radio") {
          if (input.checked) { answers[key] = input.value; }
        } else if (input.value) {
          answers[key] = input.value;
        }
      });
    });
    return answers;
  }

  function fill(answers) {
    exercises.forEach(function (exercise) {
      var key = exercise.getAttribute("data-answer-key");
      var value = Object.prototype.hasOwnProperty.call(answers, key) ? answers[key] : null;
      var inputs = exercise.querySelectorAll("[data-answer-input]");
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.type === "radio") {
          input.checked = value !== null && input.value === String(value);
        } else {
          input.value = value === null ? "" : value;
        }
      });
    });
  }

  function record(answers) {
    return JSON.stringify({ saved: new Date().toISOString(), answers: answers });
  }

  function save() {
    var s = activeStore();
    if (!s) {
      say(text("resources.answers.cannot_keep"));
      return;
    }
    var answers = collect();
    // While remembering, keep the entry even when empty: it also remembers the choice itself.
    if (s === session && Object.keys(answers).length === 0) {
      s.removeItem(KEY);
    } else {
      s.setItem(KEY, record(answers));
    }
  }

  function rememberHere(yes) {
    var answers = collect();
    if (yes) {
      if (session) { session.removeItem(KEY); }
      local.setItem(KEY, record(answers));
    } else {
      local.removeItem(KEY);
      if (session && Object.keys(answers).length) { session.setItem(KEY, record(answers)); }
    }
  }

  function promptOf(exercise) {
    var prompt = exercise.querySelector(".exercise__prompt");
    return prompt ? prompt.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function asText(answers) {
    var lang = document.documentElement.lang || undefined;
    var lines = [title, text("resources.answers.file_heading", { when: new Date().toLocaleString(lang) }), ""];
    var lastStep = null;
    exercises.forEach(function (exercise) {
      var step = exercise.getAttribute("data-step-title") || "";
      if (step !== lastStep) {
        lines.push("== " + step + " ==", "");
        lastStep = step;
      }
      var key = exercise.getAttribute("data-answer-key");
      lines.push(promptOf(exercise));
      var answer = Object.prototype.hasOwnProperty.call(answers, key) ? answers[key] : "";
      if (exercise.getAttribute("data-exercise-kind") === "rating" && answer !== "") {
        answer = text("resources.answers.my_rating", { rating: answer });
      }
      lines.push(answer === "" ? text("resources.answers.no_answer") : answer, "");
    });
    return lines.join("\r\n");
  }

  function download() {
    var blob = new Blob([asText(collect())], { type: "text/plain;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = slug + "-my-answers.txt";
    link.rel = "noopener";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    say(text("resources.answers.downloaded"));
  }

  function erase() {
    if (!window.confirm(text("resources.answers.confirm_delete"))) {
      return;
    }
    if (session) { session.removeItem(KEY); }
    if (local) { local.removeItem(KEY); }
    fill({});
    if (remember) { remember.checked = false; }
    say(text("resources.answers.deleted"));
  }

  // Start: show the tools, hide the no-JavaScript note, and bring back any saved answers.
  if (tools) { tools.hidden = false; }
  if (noJsNote) { noJsNote.hidden = true; }
  if (remember) {
    remember.checked = remembering();
    if (!local) {
      remember.disabled = true;
      say(text("resources.answers.no_local_storage"));
    }
  }
  var saved = read(remembering() ? local : session);
  if (saved && saved.answers) { fill(saved.answers); }

  root.addEventListener("input", function (event) {
    if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-answer-input")) { save(); }
  });
  root.addEventListener("change", function (event) {
    if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-answer-input")) { save(); }
  });
  if (remember) {
    remember.addEventListener("change", function () {
      rememberHere(remember.checked);
      if (remember.checked) {
        say(text("resources.answers.remembering"));
      } else {
        say(text("resources.answers.forgetting"));
      }
    });
  }
  if (downloadButton) { downloadButton.addEventListener("click", download); }
  if (deleteButton) { deleteButton.addEventListener("click", erase); }
}());
