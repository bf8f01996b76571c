// Work that takes more than a moment (checking or importing a return, a forecast of 10,000 draws, the
// outcome figures worked out afresh) runs in the request. So that nobody wonders whether anything is
// happening, or submits twice: a form marked data-nwd-busy="what is happening" shows that message in a
// live region as soon as it is sent, with the time so far, and its buttons are disabled until the
// answer arrives. Without JavaScript the form works as before.
(function () {
  "use strict";
  function start(form, button) {
    var status = form.querySelector("[data-nwd-busy-status]");
    if (!status) {
      status = document.createElement("div");
      status.className = "govuk-inset-text nwd-busy";
      status.setAttribute("data-nwd-busy-status", "");
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      form.appendChild(status);
    }
    var began = Date.now();
    var message = form.getAttribute("data-nwd-busy");
    function show() {
      var seconds = Math.round((Date.now() - began) / 1000);
      status.textContent = message + (seconds >= 2 ? " (" + seconds + " seconds so far)" : "");
    }
    show();
    window.setInterval(show, 1000);
    form.setAttribute("aria-busy", "true");
    // Disabled after the submit has captured the pressed button's name and value.
    window.setTimeout(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    }, 0);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-nwd-busy") && !event.defaultPrevented) {
      start(form, event.submitter);
    }
  });
  // Back from the next page (the browser's page cache): the form is ready again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-nwd-busy]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      var status = form.querySelector("[data-nwd-busy-status]");
      if (status) { status.remove(); }
    });
  });
})();
