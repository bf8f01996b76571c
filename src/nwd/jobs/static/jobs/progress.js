// A background job's page: while the job runs, fetch the page again every few seconds and put its
// status in place (a polite live region announces it); once the job has finished, load the page,
// which then shows the result. Without this script the page says to refresh it, and has a link.
// A page shown at an address that does not name the job (the outcomes dashboard working out a
// period) names the job's own address in data-nwd-job-url: that is polled, and loaded at the end.
(function () {
  "use strict";
  var region = document.querySelector("[data-nwd-job-waiting]");
  if (!region) { return; }
  var seconds = parseInt(region.getAttribute("data-nwd-job-waiting"), 10) || 3;
  var address = region.getAttribute("data-nwd-job-url") || window.location.href;
  var manual = document.querySelector("[data-nwd-job-manual]");
  if (manual) { manual.hidden = true; }
  function poll() {
    fetch(address, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-nwd-job-waiting]");
        if (!fresh) { window.location.replace(address); return; }
        var status = region.querySelector("[data-nwd-job-status]");
        var freshStatus = fresh.querySelector("[data-nwd-job-status]");
        if (status && freshStatus && status.innerHTML !== freshStatus.innerHTML) {
          status.innerHTML = freshStatus.innerHTML;
        }
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () { window.setTimeout(poll, seconds * 1000 * 2); });
  }
  window.setTimeout(poll, seconds * 1000);
})();
