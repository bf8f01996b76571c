"""docs/indicators.md, rendered from the registry so the document cannot drift from the code.

``nwd indicators_doc`` writes it; a test fails when the file and the registry disagree.
"""

from __future__ import annotations

from pathlib import Path

from nwd.evaluation.params import EvaluationSettings
from nwd.evaluation.registry import SECTIONS, indicators

DOC_PATH = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"

PREAMBLE = """# The evaluation's indicators

<!-- Generated from src/nwd/evaluation (the registry in registry.py and the indicators registered in
indicators.py, trial.py and money.py) by `nwd indicators_doc`. Do not edit by hand: a test checks
that this file matches the code. -->

Every figure in the evaluation report, the spreadsheet and the dashboard is one of the indicators
below. Each is defined once, in code, beside the function that computes it; this page is printed
from those definitions. Figures are aggregates: the report and the spreadsheet hold no names or
identifiers. The dashboard can list the young people behind a figure, within the viewer's
permissions.

## How the figures are drawn

- **The reporting period and the as-of date.** A report covers a period `[from, to]`, both days
  included. The last day is the as-of date: anything dated after it is left out, and anything that
  ended after it is read as still open, so a report for a past period comes out the same whenever it
  is run (as far as the dates on the records allow; a record entered late with an earlier date does
  appear).
- **Start of support.** The start date of the young person's *first* involvement with the service.
  The before-and-after cohort is the young people whose start of support falls in the period, or
  from an earlier date the report chooses (`build_report(..., support_from=...)`, `nwd report
  --cohort-from`): an annual report can then compare everyone whose support began since the service
  did, not only those who started this year and so cannot yet have a full year after.
- **Windows.** Before: the {window} months up to the day before support began, `[start - {window}
  months, start)`. After: the {window} months from the day support began, `[start, start + {window}
  months)`. Months are calendar months (a day the month lacks becomes its last day).
- **An event on the start date counts in the *after* window.** This is the cautious choice: the
  crisis that brought a young person in on their first day is counted against the service, never
  for it. (Substance use is the one exception: an assessment on the start date is the baseline, the
  "before" value, because that is when assessments are made.)
- **Clipped to the data.** A window never starts before the first date its records cover, and never
  ends after the as-of date. Each kind of record (care, missing episodes, police, health,
  exploitation, substance use, EET) has its own first date: the council's setting
  (`NWD_EVALUATION["data_start"]`) if given; otherwise, for events, the earliest record of that kind;
  for care, 1 April of the first collection year in which at least half as many children left care
  as in a typical recent year (the median of the last five whole years), because an SSDA903 history
  imported from a given year holds only the children looked after in or after that year: before
  it, almost nobody is seen leaving care. (With fewer than 50 periods of care ended, the earliest
  end of a period, or of an episode.) A council that knows where its history begins should set it.
- **Care stops at 18.** Measures of care (entries, days looked after, residential days, out-of-area
  days, placement moves) stop at the 18th birthday: nobody becomes looked after at 18, and a fall in
  days in care at 18 is not an improvement. A young person 18 or over when support began has no
  window for them.
- **Nobody is dropped silently.** For each measure, each young person is in exactly one group:
  *full* (a full window on both sides: compared), *partial* (a window cut short by the records
  beginning, the as-of date or the 18th birthday: reported separately, as rates per year
  observed), *no window* (a window is empty: counted) or *not recorded* (full windows, but no value,
  e.g. no EET status recorded: counted).
- **Improved.** Lower after than before for measures where lower is better (all but time in
  education, employment or training, where higher is better). The share improved is of the
  young people with full windows, so "no change" (0 before and 0 after) is in the denominator.
- **Breakdowns.** Per hub and per support type of the first involvement, and per financial quarter
  in which support began (2024-25 Q1 is April to June 2024).

## The trial's outcome: which estimate, and its limits

The headline is a **Kaplan-Meier** estimate of the share looked after within {trial} months,
because young people referred recently have not yet had {trial} months of follow-up; its 95%
interval is Greenwood's on the log(-log) scale. Beside it is the **simple share among those
followed up in full**, with a **Wilson** interval; it leans high while follow-up is short (those who
become looked after are "complete" sooner). Reaching 18 without becoming looked after is a known
outcome, not censoring. Only the as-of date censors.

The **comparison cohort** ("referrals before the service began") is computed the same way from any
referrals in the system dated before the service began (the day the first hub opened, or the
council's `go_live` setting), for instance an import of the council's earlier children's social care
referrals. Limits, honestly: the system's referrals are referrals *to the service*; the SSDA903 return
holds only children who became looked after, so without an import of earlier referrals (or the CIN
census) there is no denominator of young people referred who did *not* become looked after, and no
before-the-service share can be computed. What the 903 history does support is the yearly count of
entries to care at 12 to 17 before and after the service began (below): a count, not a rate, and
not adjusted for changes in the council's population or thresholds. Neither comparison is a
randomised trial; differences can come from anything else that changed at the same time.

## Money

Spend is actual spend from each care episode's recorded weekly cost. The **cost avoided** is not
observable: it needs a model of what care would have cost without the service. It is taken from the
forecast engine's counterfactual (`nwd.evaluation.forecast_link`): the engine learns the council's
care rates from the records *before* the service began and projects cost from that day with and
without the service; the difference, up to the end of the period, is the cost avoided, and net of
the service's running cost and grant it is compared with the target. It is labelled as modelled.
`settings.NWD_COST_AVOIDED` can name another provider (the dotted path of a callable
`(go_live, date_to)` returning `nwd.evaluation.money.CostAvoided` or a dict of its fields) or be
`None` to switch the link off; when the engine is missing or fails, the report says the figure is
not available and estimates nothing. The default savings target is
£{target:,.0f} by the end of year {years}; whether that is a fourth-year or a cumulative figure is not
stated in the public record, so the report shows the target as given beside the share of the
{years} years that has passed.
"""


def render_markdown() -> str:
    """The whole of docs/indicators.md."""
    defaults = EvaluationSettings()
    out = [PREAMBLE.format(window=defaults.window_months, trial=defaults.trial_months,
                           target=defaults.savings_target, years=defaults.target_years)]
    registry = indicators()
    for section, title in SECTIONS.items():
        entries = [entry for entry in registry.values() if entry.section == section]
        if not entries:
            continue
        out.append(f"\n## {title}\n")
        for entry in entries:
            out.append(f"\n### {entry.title}\n\n`{entry.key}` · {entry.kind.replace('_', ' ')} · unit: {entry.unit}")
            if entry.kind == "before_after":
                direction = "lower is better" if entry.better == "lower" else "higher is better"
                extra = "; stops at the 18th birthday" if entry.stops_at_18 else ""
                out.append(f" · {direction} · records: {entry.source}{extra}")
            out.append("\n\n")
            out.append(f"{entry.definition}\n\n")
            out.append(f"- **Window:** {entry.window}\n")
            out.append(f"- **Who is counted:** {entry.counted}\n")
            out.append(f"- **Left out:** {entry.excluded}\n")
            if entry.evidence:
                out.append(f"- **For comparison:** {entry.evidence}\n")
    return "".join(out)
