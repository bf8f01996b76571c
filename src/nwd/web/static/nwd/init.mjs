// Start every GOV.UK Frontend component on the page (buttons, error summary, service navigation...).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
