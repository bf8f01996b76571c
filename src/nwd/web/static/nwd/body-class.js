// GOV.UK Frontend styles components differently once it knows JavaScript runs (its template does
// this inline; the content security policy allows no inline script, so it lives here).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
