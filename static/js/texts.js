/* The words a script shows, in the page's language. /<language>/script-texts.js sets
   window.OPEN_DOOR_TEXTS (drawn from each room's js_texts.py); scripts ask with openDoorText("key") or
   openDoorText("key", {count: 3}), which fills %(count)s the way the server's catalogues do. A key
   the page lacks comes back as itself, so a missing word is visible, never silent. */
(function () {
  "use strict";
  var texts = window.OPEN_DOOR_TEXTS || {};
  window.openDoorText = function (key, values) {
    var text = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
    if (!values) {
      return text;
    }
    return text.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  };
})();
