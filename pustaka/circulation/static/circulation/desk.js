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
