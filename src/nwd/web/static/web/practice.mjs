// The practitioner pages' behaviour: GOV.UK components in content htmx brings in, focus after an
// in-page change, drafts saved as the user types, and the print button. Every page works without it.
import { Button, Checkboxes, ErrorSummary, NotificationBanner, Radios } from "../govuk/govuk-frontend.min.js";

const DRAFT_DELAY_MS = 800;
const COMPONENTS = [Button, Radios, Checkboxes, ErrorSummary, NotificationBanner];

function initComponents() {
  // Start the GOV.UK components htmx has just brought in; those already started are left alone.
  for (const Component of COMPONENTS) {
    const name = Component.moduleName;
    for (const element of document.querySelectorAll(`[data-module="${name}"]:not([data-${name}-init])`)) {
      try {
        new Component(element); // eslint-disable-line no-new
      } catch (error) {
        // An unsupported browser or a component that cannot start is not a reason to stop the others.
      }
    }
  }
}

function focusNewContent(target) {
  if (target.querySelector(".govuk-error-summary, .govuk-notification-banner--success")) return; // they focus themselves
  const heading = target.querySelector("[data-nwd-focus]");
  if (heading) heading.focus();
}

function timeNow() {
  return new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function setupDrafts(root) {
  for (const form of root.querySelectorAll("form[data-nwd-draft]")) {
    if (form.dataset.nwdDraftReady) continue;
    form.dataset.nwdDraftReady = "true";
    const status = form.querySelector("[data-nwd-draft-status]");
    let timer = null;
    let submitted = false;
    let lastShown = "";
    const save = async () => {
      if (submitted) return;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { "X-NWD-Draft": "save" },
          credentials: "same-origin",
          redirect: "manual",
        });
        if (response.status === 204 && status) {
          const shown = `Draft saved at ${timeNow()}`;
          if (shown !== lastShown) {
            status.textContent = shown;
            lastShown = shown;
          }
        }
      } catch (error) {
        // Offline or signed out: the last saved draft stands.
      }
    };
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DRAFT_DELAY_MS);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", () => {
      submitted = true;
      window.clearTimeout(timer);
    });
  }
}

function setupPrint(root) {
  for (const button of root.querySelectorAll(".nwd-print-button")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}

document.body.addEventListener("htmx:beforeSwap", (event) => {
  // A session that expired sends htmx to the sign-in page: go there as a whole page, not into a panel.
  const url = event.detail.xhr && event.detail.xhr.responseURL;
  if (url && /\/(sign-in|login)\//.test(new URL(url).pathname)) {
    event.detail.shouldSwap = false;
    window.location.assign(url);
  }
});

document.body.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  initComponents();
  setupDrafts(document);
  if (target.id === "recording-panel") focusNewContent(target);
});

document.body.addEventListener("htmx:oobAfterSwap", () => initComponents());

setupDrafts(document);
setupPrint(document);
