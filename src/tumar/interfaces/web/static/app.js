// Progressive enhancement for a safer visit (everything works without it, with ordinary history):
// - links and GET forms inside Tumar navigate with location.replace, so a visit stays one history entry;
// - POST forms are sent with fetch and the answer replaces the page body, which adds no entry either;
// - the print button of the safety plan; the size check of a chat upload before it is sent.
// Nothing typed is kept: no storage API is used, and the answer of a form is only put on the screen.
(function () {
  "use strict";
  var here = window.location;

  function sameOrigin(url) { return url.origin === here.origin; }

  function focusResult() {
    window.scrollTo(0, 0);
    var target = document.querySelector("[data-focus]") || document.querySelector("main h1");
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  function show(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    if (doc.documentElement.lang) { document.documentElement.lang = doc.documentElement.lang; }
    document.body.replaceWith(document.adoptNode(doc.body));
    focusResult();
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var el = event.target && event.target.closest ? event.target.closest("a[href], button[data-print]") : null;
    if (!el) { return; }
    if (el.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
      return;
    }
    var href = el.getAttribute("href");
    if (!href || href.charAt(0) === "#" || el.target || el.hasAttribute("download")) { return; }
    var url = new URL(el.href, here.href);
    if (!sameOrigin(url) || url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/api/v1/") === 0) { return; }
    event.preventDefault();
    here.replace(url.href);
  });

  function tooLarge(form) {
    var inputs = form.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
      var file = input.files && input.files[0];
      var box = document.getElementById(input.getAttribute("aria-describedby") || "");
      if (file && file.size > limit) {
        if (box) {
          box.textContent = input.getAttribute("data-too-large");
          box.hidden = false;
        }
        input.focus();
        return true;
      }
      if (box) { box.hidden = true; }
    }
    return false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
    var action = new URL(form.getAttribute("action") || here.href, here.href);
    if (!sameOrigin(action)) { return; }
    var method = (form.getAttribute("method") || "get").toLowerCase();
    var data = new FormData(form);
    event.preventDefault();
    if (method === "get") {
      action.search = new URLSearchParams(data).toString();
      here.replace(action.href);
      return;
    }
    if (tooLarge(form)) { return; }
    var multipart = (form.getAttribute("enctype") || "").toLowerCase() === "multipart/form-data";
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
      if (button.hasAttribute("data-busy")) { button.textContent = button.getAttribute("data-busy"); }
    }
    fetch(action.href, {
      method: "POST",
      body: multipart ? data : new URLSearchParams(data),
      headers: { "Accept": "text/html" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      return response.text();
    }).then(show, function () {
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
