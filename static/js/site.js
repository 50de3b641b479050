/* Font-size control for article pages, remembered in localStorage. No framework. */
(function () {
  "use strict";
  var KEY = "newsroom.fontScale";
  var STEPS = [0.875, 1, 1.125, 1.25, 1.5];
  var root = document.documentElement;
  function read() {
    try {
      var v = parseFloat(window.localStorage.getItem(KEY));
      return STEPS.indexOf(v) >= 0 ? v : 1;
    } catch (e) {
      return 1;
    }
  }
  function mark(scale) {
    // "中" (default size) is a toggle: pressed while the text is at the default size.
    var button = document.querySelector('[data-font-step="0"]');
    if (button) { button.setAttribute("aria-pressed", String(scale === 1)); }
  }
  function apply(scale) {
    root.style.setProperty("--font-scale", String(scale));
    try { window.localStorage.setItem(KEY, String(scale)); } catch (e) { /* private mode */ }
    mark(scale);
  }
  root.style.setProperty("--font-scale", String(read()));
  document.addEventListener("DOMContentLoaded", function () { mark(read()); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-font-step]") : null;
    if (!button) { return; }
    var step = parseInt(button.getAttribute("data-font-step"), 10);
    var i = STEPS.indexOf(read());
    var next = step === 0 ? 1 : STEPS[Math.min(STEPS.length - 1, Math.max(0, i + step))];
    apply(next);
  });
})();
