// A form with an error begins with a summary of it (templates/helpline/_error_summary.html) that takes
// the focus as the page loads through its autofocus attribute. Where a browser skipped that, focus it
// here, unless the person is already somewhere else on the page. A link in the summary takes the
// person to its field with the field's label (or its group's legend) in view above it.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  var active = document.activeElement;
  if (!active || active === document.body || active === document.documentElement) { summary.focus(); }

  summary.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href^='#']") : null;
    var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!field) { return; }
    event.preventDefault();
    var group = field.closest("fieldset");
    var label = document.querySelector("label[for='" + field.id + "']");
    var heading = group && field.type === "radio" ? group.querySelector("legend") : label;
    if (heading) { heading.scrollIntoView(); }
    field.focus(heading ? { preventScroll: true } : undefined);
  });
}());
