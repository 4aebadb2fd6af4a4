// Quick exit: the button and Esc pressed twice replace this page with a neutral one. location.replace swaps
// the current history entry instead of adding one, and app.js keeps a whole visit in that single entry, so
// the Back button does not lead into Tumar afterwards.
(function () {
  "use strict";
  var leaving = false;
  function leave() {
    if (leaving) { return; }
    leaving = true;
    var link = document.getElementById("quick-exit");
    var target = link ? link.href : "/recipes";
    document.title = "";
    if (document.body) { document.body.innerHTML = ""; }
    window.location.replace(target);
  }
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el && el.closest && el.closest("#quick-exit")) {
      event.preventDefault();
      event.stopImmediatePropagation();
      leave();
    }
  }, true);
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - last < 800) { leave(); } else { last = now; }
  }, true);
})();
