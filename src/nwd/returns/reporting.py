"""The import report as a data officer reads it: lines for the terminal, rows for a CSV or a page.

The command, the CSV report and the web page show the same problems in the same words (each
``Problem.message`` names the file, row, column, value and rule); this module only arranges them.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from nwd.exports import escape_cell
from nwd.returns.checks import RULES
from nwd.returns.problems import ERROR, EXAMPLES_PER_RULE, WARNING, Problem, ProblemTally

PROBLEM_COLUMNS = ("severity", "file", "row", "column", "value", "rule", "message")


def problem_row(p: Problem) -> tuple:
    return (p.severity, p.file or "", "" if p.row is None else p.row, p.column or "", p.value or "", p.rule, p.message)


def by_rule(problems: list[Problem]) -> list[tuple[str, str, int, Problem]]:
    """(rule, severity, count, first example) per rule, the commonest first."""
    counts = Counter((p.rule, p.severity) for p in problems)
    first: dict[tuple[str, str], Problem] = {}
    for p in problems:
        first.setdefault((p.rule, p.severity), p)
    return [(rule, severity, n, first[(rule, severity)]) for (rule, severity), n in counts.most_common()]


def rule_summary(rule: str) -> str:
    """What a rule checks, in a few words (the registry's summary), or "" for a rule of reading."""
    found = RULES.get(rule)
    return found.summary if found is not None else ""


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def rows_by_table(report) -> dict[str, int]:
    """Rows read per table, from the files read (before any were left out)."""
    rows: dict[str, int] = {}
    for f in report.files:
        if f.table:
            rows[f.table] = rows.get(f.table, 0) + f.rows
    return rows


def summary_lines(report, tally: ProblemTally) -> list[str]:
    """The report's opening: what happened, the files, years and rows, and the problems by rule."""
    years = sorted({f.collection_year for f in report.files if f.collection_year})
    lines = [report.outcome(), ""]
    lines.append(f"Files: {plural(len(report.files), 'file')}; collection year{'s' if len(years) != 1 else ''}: "
                 f"{', '.join(years) or 'not known'}")
    rows = rows_by_table(report)
    if rows:
        lines.append("Rows: " + ", ".join(f"{table} {n:,}" for table, n in rows.items()))
    for severity, title in ((ERROR, "Errors"), (WARNING, "Warnings (nothing is refused for these)")):
        rules = tally.by_rule(severity)
        if not rules:
            lines.append(f"{title.split(' ')[0]}: none")
            continue
        lines.append(f"{title}: {tally.count(severity):,} in {plural(len(rules), 'rule')}")
        for t in rules:
            lines.append(f"  rule {t.rule:<16} {t.count:>9,}  {rule_summary(t.rule)}".rstrip())
    if report.skipped:
        lines.append(f"Left out, with --skip-invalid: {plural(len(report.skipped), 'row')} of "
                     f"{plural(len(report.skipped_children), 'child', 'children')}")
    return lines


def detail_lines(report, tally: ProblemTally, examples: int, warnings_in_full: bool = False) -> list[str]:
    """The details after the summary: files, notes, the first examples of each rule, rows left out."""
    lines = ["", "Details"]
    for f in report.files:
        year = f"{f.collection_year} (from {f.year_from})" if f.collection_year else "year unknown"
        lines.append(f"Read {f.name}: {f.table or 'not a 903 table'}, {f.rows} rows, {year}")
    for notice in report.notices:
        lines.append(f"Note: {notice}")
    for severity, title in ((ERROR, "errors"), (WARNING, "warnings")):
        rules = tally.by_rule(severity)
        if not rules:
            continue
        lines.append(f"The {title} by rule (the first {examples} of each; every one is in the CSV report, --report):")
        for t in rules:
            lines.append(f"  rule {t.rule}: {plural(t.count, 'problem')}")
            lines += [f"    {p.message}" for p in t.examples]
            if t.more:
                lines.append(f"    ... and {t.more:,} more")
    if report.skipped:
        shown = report.skipped[:examples]
        lines.append(f"Rows left out (the first {len(shown)} of {len(report.skipped):,}):")
        for s in shown:
            why = s.because.message if s.own else f"because of {s.because.message}"
            lines.append(f"  {s.file} row {s.row} ({s.table}, CHILD {s.child}): {why}")
    if report.counts:
        verb = "would be" if report.dry_run else "were"
        lines.append(f"Records that {verb} created / changed / removed / already so:")
        for name, c in report.counts.items():
            lines.append(f"  {name:<28} {c.created:>8} {c.updated:>8} {c.deleted:>8} {c.unchanged:>8}")
    if report.seconds:
        lines.append("Seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
    return lines


def report_lines(report, warnings_in_full: bool = False, examples: int = EXAMPLES_PER_RULE) -> list[str]:
    """The import report as lines of text: a summary first (what happened, files, years, rows,
    problems counted by rule), then the details, listing at most ``examples`` problems of each rule
    (``warnings_in_full``: every warning)."""
    tally = ProblemTally(report.errors, examples)
    tally.rules.update(ProblemTally(report.warnings, len(report.warnings) if warnings_in_full else examples).rules)
    tally.add_unlisted(getattr(report, "unlisted", {}))
    return summary_lines(report, tally) + detail_lines(report, tally, examples)


def page_summary(report, examples: int = EXAMPLES_PER_RULE) -> dict:
    """What the report page shows, in the same order as the command: the summary (files, years, rows,
    problems counted by rule), then per rule the first ``examples`` problems."""
    tally = ProblemTally(report.problems, examples)
    tally.add_unlisted(getattr(report, "unlisted", {}))

    def rules(severity) -> list[dict]:
        return [{"rule": t.rule, "count": t.count, "summary": rule_summary(t.rule), "examples": t.examples,
                 "more": t.more} for t in tally.by_rule(severity)]

    error_rules, warning_rules = rules(ERROR), rules(WARNING)
    return {
        "examples_per_rule": examples,
        "rule_tables": [("errors", error_rules), ("warnings", warning_rules)],
        "years": sorted({f.collection_year for f in report.files if f.collection_year}),
        "rows_by_table": list(rows_by_table(report).items()),
        "error_count": tally.count(ERROR),
        "warning_count": tally.count(WARNING),
        "error_rules": error_rules,
        "warning_rules": warning_rules,
    }


def write_report_csv(report, path: Path | str) -> Path:
    """Every problem and every row left out, one per line, cells escaped for spreadsheets."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([*PROBLEM_COLUMNS, "child", "skipped"])
        skipped = {(s.file, s.row) for s in report.skipped}
        for p in report.problems:
            writer.writerow([escape_cell(v) for v in (*problem_row(p), p.child or "",
                                                       "yes" if (p.file, p.row) in skipped else "")])
        for s in report.skipped:
            if not s.own:
                writer.writerow([escape_cell(v) for v in (
                    "skipped", s.file or "", s.row or "", "", "", s.because.rule,
                    f"left out because of {s.because.message}", s.child or "", "yes")])
        for (rule, severity), n in sorted(getattr(report, "unlisted", {}).items()):
            writer.writerow([escape_cell(v) for v in (
                severity, "", "", "", "", rule, f"and {n:,} more of rule {rule}, not listed: fix those above and "
                                                "check again", "", "")])
    return path
