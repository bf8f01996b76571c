"""The one way a page hands a file to a user: permission checked, cells escaped, the download audited.

Every export of the project (a caseload CSV, the evaluation XLSX, the SSDA903 files, a subject
access ZIP) goes through these, so none can forget the ``exports.download`` permission, the
formula-injection escaping (``nwd.exports.escape_cell``) or the audit log::

    @requires("exports.download", "evaluation.download_report")
    def indicators_xlsx(request):
        sheets = {"Indicators": (["Indicator", "Value"], rows)}
        return downloads.xlsx_response(request, "indicators.xlsx", sheets)

    @requires("exports.download", "casework.view_identity", listing=True)
    def caseload_csv(request):
        people = scopes.visible_young_people(request.user).filter(...)
        rows = ([p.child_id, p.full_name] for p in people)
        return downloads.csv_response(request, "caseload.csv", ["Child id", "Name"], rows,
                                      young_people=people.values_list("pk", flat=True))

``young_people``: who the file is about; each gets a "download" line in the audit log, so "who has
viewed this record" shows the file too. A file of aggregates names nobody and passes none.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse

from nwd.access import audit
from nwd.access.models import Action
from nwd.exports import escape_cell

PERMISSION = "exports.download"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_filename(name: str) -> str:
    """A file name that cannot break the Content-Disposition header or climb out of a folder."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return cleaned or "download"


def escaped_row(row: Iterable) -> list:
    return [escape_cell(value) for value in row]


def _allowed_and_audited(request, filename: str, young_people: Iterable, detail: str, action: str) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied(PERMISSION)
    note = f"{filename}: {detail}" if detail else filename
    audit.record(request, action, detail=note)
    audit.record_rows(request, young_people, action=action, detail=note)


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _Echo:
    def write(self, value):
        return value


def csv_rows(header: Sequence, rows: Iterable[Sequence]) -> Iterable[str]:
    """CSV lines, escaped, with a byte-order mark first so spreadsheets read the UTF-8 right."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(escaped_row(header))
    for row in rows:
        yield writer.writerow(escaped_row(row))


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    return "".join(csv_rows(header, rows))


def csv_response(request, filename: str, header: Sequence, rows: Iterable[Sequence], *,
                 young_people: Iterable = (), detail: str = "", action: str = Action.DOWNLOAD):
    """Stream a CSV download (rows may be a generator: a long file is never held in memory)."""
    _allowed_and_audited(request, filename, young_people, detail, action)
    response = StreamingHttpResponse(csv_rows(header, rows), content_type=CSV_TYPE)
    return _attachment(response, filename)


def xlsx_bytes(sheets: Mapping[str, tuple[Sequence, Iterable[Sequence]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31])
        sheet.append(escaped_row(header))
        for row in rows:
            sheet.append(escaped_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(request, filename: str, sheets: Mapping[str, tuple[Sequence, Iterable[Sequence]]], *,
                  young_people: Iterable = (), detail: str = "", action: str = Action.DOWNLOAD):
    """A spreadsheet download, one sheet per entry of ``sheets`` (title -> (header, rows))."""
    _allowed_and_audited(request, filename, young_people, detail, action)
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    return _attachment(response, filename)


def file_response(request, filename: str, content: bytes, content_type: str, *,
                  young_people: Iterable = (), detail: str = "", action: str = Action.DOWNLOAD):
    """Any other file already built (a PDF, a ZIP): permission and audit as for the others.

    Cells inside it are the builder's responsibility: build CSV parts with ``csv_text``.
    """
    _allowed_and_audited(request, filename, young_people, detail, action)
    return _attachment(HttpResponse(content, content_type=content_type), filename)
