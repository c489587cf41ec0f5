/* The visitor kiosk: the greeting goes after a few seconds, the card field keeps the focus (a scanner
   types into it and presses Enter), and a full-screen button where the browser allows it. */
(function () {
  "use strict";
  var card = document.getElementById("id_card");
  var greeting = document.getElementById("greeting");
  if (greeting) {
    var seconds = parseInt(greeting.getAttribute("data-seconds") || "5", 10);
    window.setTimeout(function () {
      greeting.hidden = true;
      var url = new URL(window.location.href);
      url.searchParams.delete("w");
      window.history.replaceState(null, "", url.toString());
    }, seconds * 1000);
  }
  if (card && !document.querySelector(".kiosk-visitor[open]")) {
    card.focus();
    card.select();
  }
  // Back to the card field when nobody is typing in the visitor form (a scan can come at any time).
  document.addEventListener("click", function (event) {
    if (card && !event.target.closest("form, details, a, button")) card.focus();
  });
  var button = document.getElementById("fullscreen");
  if (button && document.documentElement.requestFullscreen) {
    button.hidden = false;
    button.addEventListener("click", function () {
      document.documentElement.requestFullscreen().catch(function () {});
      if (card) card.focus();
    });
  }
})();
