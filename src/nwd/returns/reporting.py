"""The import report as a data officer reads it: lines for the terminal, rows for a CSV or a page.

The command, the CSV report and the web page show the same problems in the same words (each
``Problem.message`` names the file, row, column, value and rule); this module only arranges them.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from nwd.exports import escape_cell
from nwd.returns.problems import Problem

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


def report_lines(report, warnings_in_full: bool = False) -> list[str]:
    """The import report as lines of text: errors in full, warnings by rule, skipped rows, counts."""
    lines: list[str] = []
    for f in report.files:
        year = f"{f.collection_year} (from {f.year_from})" if f.collection_year else "year unknown"
        lines.append(f"Read {f.name}: {f.table or 'not a 903 table'}, {f.rows} rows, {year}")
    for notice in report.notices:
        lines.append(f"Note: {notice}")
    errors, warnings = report.errors, report.warnings
    if errors:
        lines.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''}:")
        lines += [f"  {p.message}" for p in errors]
    if warnings:
        lines.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} (nothing is refused for these):")
        if warnings_in_full:
            lines += [f"  {p.message}" for p in warnings]
        else:
            for rule, _severity, count, example in by_rule(warnings):
                lines.append(f"  rule {rule}: {count} row{'s' if count != 1 else ''}, for example {example.message}")
    if report.skipped:
        lines.append(f"Left out, with --skip-invalid: {len(report.skipped)} rows of "
                     f"{len(report.skipped_children)} children:")
        for s in report.skipped:
            why = s.because.message if s.own else f"because of {s.because.message}"
            lines.append(f"  {s.file} row {s.row} ({s.table}, CHILD {s.child}): {why}")
    if report.counts:
        verb = "would be" if report.dry_run else "were"
        lines.append(f"Records that {verb} created / changed / removed / already so:")
        for name, c in report.counts.items():
            lines.append(f"  {name:<28} {c.created:>8} {c.updated:>8} {c.deleted:>8} {c.unchanged:>8}")
    if report.seconds:
        lines.append("Seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
    lines.append(report.outcome())
    return lines


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
    return path
