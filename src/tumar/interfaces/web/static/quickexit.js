// Quick exit: replace this page with a neutral one without leaving it in the back-button history.
(function () {
  var NEUTRAL = "https://www.google.com/search?q=weather";
  function leave() {
    document.body.innerHTML = "";
    window.location.replace(NEUTRAL);
  }
  var button = document.getElementById("quick-exit");
  if (button) { button.addEventListener("click", leave); }
  var last = 0;
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var now = Date.now();
    if (now - last < 800) { leave(); }
    last = now;
  });
})();
