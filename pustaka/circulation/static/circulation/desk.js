/* Desk shortcuts: Alt+<letter> presses the button with that access key, in every browser (Firefox
   wants Alt+Shift for access keys, some keyboards type other characters with Alt). The browser's own
   access-key handling goes first; this only acts when it did not. */
document.addEventListener("keydown", function (event) {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
  var match = /^Key([A-Z])$/.exec(event.code || "");
  if (!match) return;
  var target = document.querySelector('[accesskey="' + match[1].toLowerCase() + '"]');
  if (!target) return;
  event.preventDefault();
  target.click();
});

/* Buttons that change a loan for good (declare lost, claim returned) ask first. Without JavaScript
   they act at once; every change is in the audit trail. */
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
});
