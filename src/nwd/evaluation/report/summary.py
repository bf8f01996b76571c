"""The plain-English summary at the front of the report, written from the figures' headline numbers.

Sentences are built from the same numbers as the tables, never typed separately, and each says how
many young people it is about and how long they were followed, so that a small or early figure is
not read as more than it is.
"""

from __future__ import annotations

from nwd.evaluation.formatting import change, count, number, percent, pounds


def _period(report) -> str:
    where = report.period.hub_name or "the whole service"
    return (
        f"This report covers {report.period.date_from:%-d %B %Y} to {report.period.date_to:%-d %B %Y} "
        f"for {where}. Figures marked 'whole council' cover every child the council looks after."
    )


def _referrals(report) -> list[str]:
    h = report.figure("referral_decisions").headline
    out = []
    if not h["referrals"]:
        return ["No referrals were received in the period."]
    median = h["median_days_to_decide"]
    out.append(
        f"The service received {count(h['referrals'], 'referral')}: {number(h['supported'])} taken on for "
        f"support and {number(h['handovers'])} handed over, warmly, to a named service"
        + (f"; {number(h['undecided'])} were still being decided at the end of the period" if h["undecided"] else "")
        + (f". Decisions took a median of {count(median, 'day')}." if median is not None else ".")
    )
    s = report.figure("stayed_out_of_care").headline
    if s["referred"]:
        out.append(
            f"Of the {count(s['referred'], 'young person', 'young people')} referred while not looked after, "
            f"{number(s['stayed_out'])} ({percent(s['share'])}) have stayed out of care so far, after a median "
            f"follow-up of {number(s['median_follow_up_months'])} months. (North Yorkshire's evaluation "
            "reported 86%.)"
        )
    return out


def _before_after(report) -> list[str]:
    events = report.figure("before_after_events").headline
    time = report.figure("before_after_time").headline
    if not report.cohort_size:
        return [
            f"No young person's support began between {report.period.cohort_from:%-d %B %Y} and "
            f"{report.period.date_to:%-d %B %Y}, so there is no before-and-after comparison."
        ]
    missing, arrests, residential = events["missing_episodes"], events["arrests"], time["residential_days"]
    began = (
        f"Support began for {count(report.cohort_size, 'young person', 'young people')} between "
        f"{report.period.cohort_from:%-d %B %Y} and {report.period.date_to:%-d %B %Y}."
    )
    if not missing["full"]:
        return [
            began + " None of them has a full year of records before and after yet, so all are reported "
            "separately, as rates per year. (A report with an earlier start for the before-and-after "
            "cohort, such as the day the service began, compares those who have.)"
        ]
    out = [
        f"{began} {number(missing['full'])} of them have a full year of records before and after: among them, "
        f"missing episodes went from {number(missing['before_total'])} to {number(missing['after_total'])} "
        f"({change(missing['before_total'], missing['after_total'])}) and arrests from "
        f"{number(arrests['before_total'])} to {number(arrests['after_total'])} "
        f"({change(arrests['before_total'], arrests['after_total'])})."
    ]
    if residential["full"]:
        out.append(_residential(residential, time["residential_days_outside_hubs"]))
    partial = missing["partial"] + missing["no_window"]
    if partial:
        out.append(
            f"The other {number(partial)} have less than a full year on one side (most because their support "
            "began less than a year ago) and are reported separately, as rates per year."
        )
    sub = report.figure("substance_use_change").headline
    if sub["stopped_or_reduced"]:
        out.append(
            f"Substance use stopped or reduced for {count(sub['stopped_or_reduced'], 'young person', 'young people')}, "
            f"{percent(sub['share_of_cohort'])} of everyone whose support began (North Yorkshire: 32%)."
        )
    return out


def _residential(residential: dict, outside: dict) -> str:
    """Days in residential care before and after, with why they can rise when the hubs open.

    A hub is a registered children's home, so a looked-after young person's stay in a hub bed is a
    residential placement and counts among the days in residential care. When the hubs open, those
    stays are new residential days: the total can rise while the residential care bought elsewhere
    falls. Read beside a fall in missing episodes, a rise would look like a contradiction; the
    sentence says so, and splits the days into the hubs' beds and the rest.
    """
    before, after = residential["before_total"], residential["after_total"]
    hub_before, hub_after = _less(before, outside["before_total"]), _less(after, outside["after_total"])
    text = (
        f"For the {number(residential['full'])} under 18 with a full year either side, days in residential "
        f"care went from {number(before)} to {number(after)} ({change(before, after)}). These include stays in "
        "the service's own hub beds: a hub is a registered children's home, so a looked-after young person's "
        "stay there counts as days in residential care"
    )
    if hub_after is not None and hub_before is not None and hub_after > hub_before and after > before:
        text += ", and residential days rise when the hubs open and young people stay in them"
    return text + (
        f". In the hub beds, days went from {number(hub_before)} to {number(hub_after)}; in residential care "
        f"outside the hubs (bought or provided elsewhere), from {number(outside['before_total'])} to "
        f"{number(outside['after_total'])} ({change(outside['before_total'], outside['after_total'])})."
    )


def _less(total, part):
    """``total`` less ``part``, or None when either is not known."""
    if total is None or part is None:
        return None
    return total - part


def _trial(report) -> list[str]:
    h = report.figure("trial_outcome").headline["service"]
    if not h["referred"]:
        return ["No young person was first referred at 12 to 17 in the period, so the trial's outcome is not estimated."]
    sentence = (
        f"Of the {count(h['referred'], 'young person', 'young people')} first referred at 12 to 17 while not looked after, "
        f"{number(h['events'])} became looked after within 18 months"
    )
    if h["km"] is not None and h["km_upper"] is not None:
        sentence += (
            f": an estimated {percent(h['km'])} (95% interval {percent(h['km_lower'])} to "
            f"{percent(h['km_upper'])}, Kaplan-Meier)"
        )
    if h["censored"]:
        sentence += f". {number(h['censored'])} have been followed for less than 18 months so far"
    return [sentence + "."]


def _care(report) -> list[str]:
    entries = report.figure("care_entries").headline
    placed = report.figure("placements_on_date").headline
    return [
        f"Across the council, {number(entries['entries'])} children entered care in the period "
        f"({number(entries['reentries'])} of them re-entering, {number(entries['teen_entries'])} aged 12 to 17). "
        f"On {report.period.date_to:%-d %B %Y}, {number(placed['looked_after'])} children were looked after, "
        f"{number(placed['out_of_area'])} of them placed out of area and {number(placed['unregulated'])} in "
        "unregulated placements."
    ]


def _team(report) -> list[str]:
    kw = report.figure("key_worker_changes").headline
    stays = report.figure("length_of_stay").headline
    out = []
    if kw["supported"]:
        out.append(
            f"{percent(kw['no_change_share'])} of the {count(kw['supported'], 'young person', 'young people')} supported in the "
            f"period kept the same key worker throughout ({count(kw['changes'], 'change')} in all)."
        )
    if stays["ended"]:
        out.append(
            f"{count(stays['ended'], 'hub stay')} ended, after a median of {count(stays['median_nights'], 'night')}; "
            f"{percent(stays['on_time_share'])} ended by the planned date and {percent(stays['family_share'])} "
            "went on to a family or community setting."
        )
    return out


def _money(report) -> list[str]:
    spend = report.figure("placement_spend").headline
    area = report.figure("placement_spend_by_area").headline
    avoided = report.figure("cost_avoided").headline
    out = [
        f"Placements cost {pounds(spend['total'], short=True)} in the period, an average of "
        f"{pounds(spend['weekly_average'])} a week; {percent(area['out_of_area_share'])} of it was spent out of "
        f"area and {percent(area['unregulated_share'])} on unregulated placements (whole council)."
    ]
    if avoided["available"]:
        net = (
            f" ({pounds(avoided['net'], short=True)} net of the service's running cost and grant)"
            if avoided["net"] is not None else ""
        )
        out.append(
            f"The forecast engine models {pounds(avoided['amount'], short=True)} of cost avoided since the "
            f"service began{net}, against a target of {pounds(avoided['target'], short=True)} by "
            f"{avoided['target_day']:%B %Y}. This is a model's estimate, not a measurement."
        )
    else:
        out.append(
            "Cost avoided is not shown: the forecast engine's estimate of what care would have cost without "
            f"the service is not linked to this report. The target is {pounds(avoided['target'], short=True)}"
            + (f" by {avoided['target_day']:%B %Y}." if avoided["target_day"] else ".")
        )
    return out


def summary(report) -> list[str]:
    """The summary's paragraphs, in the order of the report."""
    return [_period(report), *_referrals(report), *_before_after(report), *_trial(report), *_care(report),
            *_team(report), *_money(report)]
