// Session expiry warning. The server ends a session after a period without requests; this shows
// the GOV.UK notification banner a little before that, offers "Stay signed in" (a POST to the
// keep-alive endpoint, which counts as activity), and, if nothing happens, goes to the sign-in
// page saying why. htmx requests count as activity too.
(function () {
  "use strict";
  var banner = document.getElementById("nwd-session-warning");
  if (!banner) { return; }
  var total = Number(banner.getAttribute("data-session-seconds"));
  var warnBefore = Number(banner.getAttribute("data-warning-seconds"));
  var keepAliveUrl = banner.getAttribute("data-keep-alive-url");
  var signInUrl = banner.getAttribute("data-sign-in-url");
  var countdown = banner.querySelector("[data-nwd-countdown]");
  var stay = banner.querySelector("[data-nwd-stay]");
  var warnTimer = null;
  var endTimer = null;
  var ticker = null;
  var deadline = 0;
  var lastFocus = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function describe(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    if (minutes > 0) {
      return minutes + " minute" + (minutes === 1 ? "" : "s") + (rest ? " " + rest + " second" + (rest === 1 ? "" : "s") : "");
    }
    return rest + " second" + (rest === 1 ? "" : "s");
  }

  function update() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (countdown) { countdown.textContent = describe(left); }
  }

  function hide() {
    if (!banner.hidden) {
      banner.hidden = true;
      if (lastFocus && document.body.contains(lastFocus)) { lastFocus.focus(); }
    }
    clearInterval(ticker);
  }

  function warn() {
    lastFocus = document.activeElement;
    update();
    banner.hidden = false;
    ticker = setInterval(update, 1000);
    if (stay) { stay.focus(); }
  }

  function expire() {
    var here = window.location.pathname + window.location.search;
    window.location.assign(signInUrl + "?timeout=1&next=" + encodeURIComponent(here));
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    hide();
    deadline = Date.now() + total * 1000;
    warnTimer = setTimeout(warn, Math.max(0, total - warnBefore) * 1000);
    endTimer = setTimeout(expire, total * 1000);
  }

  if (stay) {
    stay.addEventListener("click", function () {
      fetch(keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      }).then(function (response) {
        // A session that has already ended answers with a redirect to the sign-in page.
        if (response.ok && !response.redirected) { schedule(); } else { expire(); }
      }, expire);
    });
  }
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
