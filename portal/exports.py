"""Exports of any table to CSV or XLSX, safe to open in a spreadsheet.

One call turns columns and rows into a download::

    from portal.exports import Column, export_response

    COLUMNS = [
        Column(_("Project"), "project.acronym"),
        Column(_("Status"), "get_status_display"),
        Column(_("Requested"), "amount_requested", kind="money"),
        Column(_("Decision date"), "decision_date"),        # a date: written as a date
        Column(_("Partner"), lambda line: line.partner.organisation.name),
    ]

    def funding_lines_export(request, fmt):
        lines = FundingLine.objects.filter(...)             # already restricted to what the user may see
        return export_response("funding-lines", COLUMNS, lines, fmt)

- ``columns``: ``Column`` objects, or plain tuples ``(header, accessor)`` / ``(header, accessor, kind)``.
  An accessor is a callable ``row -> value``, or a dotted path (``"project.acronym"``) looked up as
  dict keys or attributes; a callable found at the end of the path (``get_status_display``) is called.
  Headers are translated in the active language (the user's) when the response is built.
- ``rows``: any iterable (a queryset is iterated in chunks, the CSV is streamed).
- ``fmt``: ``"csv"`` or ``"xlsx"`` (anything else is a 404: it only ever comes from the URL).
- Empty ``rows`` give a file with the header row only, never an error.

Values:
- money (``kind="money"``, ``Decimal``): a number, never text. XLSX: numeric cell with the
  format ``#,##0.00 "€"`` (Excel shows ``1 234,56 €`` in French). CSV: see the CSV styles below.
  Other ``Decimal``/``int``/``float`` values are plain numbers.
- dates and datetimes: XLSX date cells (datetimes in the portal's time zone, Excel knows no time zones);
  CSV ISO 8601 (``2025-03-31``, ``2025-03-31 14:05``), which every spreadsheet reads as a date.
- booleans: XLSX booleans; CSV "Yes"/"No" in the user's language.
- ``None``: an empty cell.

CSV styles (one option, ``csv_style=``):
- ``FRENCH_CSV`` (the default, for the French Excel/LibreOffice most pole staff and accountants use):
  ``;`` separator, UTF-8 with a byte-order mark (so Excel does not read the accents as Latin-1),
  decimal comma and no thousands separator (``1234,56``), CRLF line ends.
- ``PLAIN_CSV`` (for programs): ``,`` separator, UTF-8 without BOM, decimal point (``1234.56``).

Spreadsheet formula injection (CWE-1236): a text value starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return could run as a formula when the file is opened. In CSV such a value is
prefixed with ``'`` (the spreadsheet then shows it as text); in XLSX it is written as an inline
string cell (never a formula) with Excel's "quote prefix" set. Numbers are never altered: a negative
amount stays a number.

Several tables in one XLSX (a sheet each): ``workbook_response(filename, [(title, columns, rows), …])``.

Filenames: ``safe_filename("Funding lines ÉCO")`` gives ``funding-lines-eco-2025-03-31.csv``:
ASCII, no path characters, stamped with today's date.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("text", "money", "number", "integer", "date", "datetime", "boolean")
MONEY_FORMAT = '#,##0.00 "€"'
QUERYSET_CHUNK = 500


@dataclass(frozen=True)
class CsvStyle:
    delimiter: str
    decimal_separator: str
    byte_order_mark: bool


FRENCH_CSV = CsvStyle(delimiter=";", decimal_separator=",", byte_order_mark=True)
PLAIN_CSV = CsvStyle(delimiter=",", decimal_separator=".", byte_order_mark=False)


@dataclass(frozen=True)
class Column:
    """One column: its header (translatable), how to get the value from a row, and its kind.

    ``kind`` is guessed from the value when omitted; give ``"money"`` for amounts in euros
    (the € format in XLSX) and ``"text"`` to force text (an identifier like a SIREN).
    """

    header: Any
    accessor: str | Callable[[Any], Any]
    kind: str | None = None

    def __post_init__(self):
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}; use one of {KINDS}.")

    def value(self, row):
        if callable(self.accessor):
            return self.accessor(row)
        value = row
        for part in self.accessor.split("."):
            if value is None:
                return None
            value = value[part] if isinstance(value, dict) else getattr(value, part)
            if callable(value) and not hasattr(value, "all"):  # a method, not a related manager
                value = value()
        return value


def as_columns(columns) -> list[Column]:
    return [c if isinstance(c, Column) else Column(*c) for c in columns]


def neutralise(text: str) -> str:
    """The text, made harmless for a CSV cell: a leading formula character gets a ``'`` before it."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def is_dangerous(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def safe_filename(stem: str, fmt: str, day: datetime.date | None = None) -> str:
    """An ASCII download name with no path characters, stamped with the (local) date."""
    day = day or timezone.localdate()
    slug = slugify(str(stem))[:80].strip("-_") or "export"
    return f"{slug}-{day.isoformat()}.{fmt}"


def export_response(
    filename: str,
    columns,
    rows: Iterable,
    fmt: str,
    *,
    csv_style: CsvStyle = FRENCH_CSV,
    sheet_title: str | None = None,
) -> HttpResponse:
    """The download of ``rows`` as ``fmt`` ("csv" or "xlsx"), named ``safe_filename(filename, fmt)``."""
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    columns = as_columns(columns)
    headers = [str(column.header) for column in columns]  # now, in the request's language
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=QUERYSET_CHUNK)
    name = safe_filename(filename, fmt)
    if fmt == "csv":
        language = translation.get_language()
        response = StreamingHttpResponse(
            _in_language(language, csv_lines(headers, columns, rows, csv_style)),
            content_type=CONTENT_TYPES["csv"],
        )
    else:
        title = sheet_title if sheet_title is not None else filename
        response = HttpResponse(
            xlsx_bytes(headers, columns, rows, title), content_type=CONTENT_TYPES["xlsx"]
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _in_language(language, lines: Iterator[str]) -> Iterator[str]:
    # The CSV is written while the server streams it, after the view returned: keep its language.
    with translation.override(language):
        yield from lines


# CSV -------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def csv_lines(headers, columns, rows, style: CsvStyle = FRENCH_CSV) -> Iterator[str]:
    """The CSV file, one line at a time (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo(), delimiter=style.delimiter, lineterminator="\r\n")
    bom = "\ufeff" if style.byte_order_mark else ""
    yield bom + writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_value(c.value(row), c.kind, style) for c in columns])


def csv_value(value, kind=None, style: CsvStyle = FRENCH_CSV) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Decimal | int | float) and kind != "text":
        if kind == "money":
            value = Decimal(value).quantize(Decimal("0.01"))
        text = format(value, "f") if isinstance(value, Decimal) else str(value)
        return text.replace(".", style.decimal_separator)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


# XLSX ------------------------------------------------------------------------------------------


def xlsx_bytes(headers, columns, rows, title: str = "Export") -> bytes:
    """The XLSX file of one table."""
    return workbook_bytes([(title, headers, columns, rows)])


def workbook_bytes(sheets) -> bytes:
    """An XLSX file of ``(title, headers, columns, rows)`` sheets, built row by row in
    openpyxl's write-only mode (memory stays flat)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, headers, columns, rows in sheets:
        _write_sheet(workbook.create_sheet(title=_sheet_title(title)), headers, columns, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_response(filename: str, sheets) -> HttpResponse:
    """Several tables in one XLSX download, a sheet each: ``sheets`` are
    ``(title, columns, rows)``, as for ``export_response`` (e.g. the tables behind a
    dashboard's charts)."""
    built = []
    for title, columns, rows in sheets:
        columns = as_columns(columns)
        built.append((str(title), [str(c.header) for c in columns], columns, rows))
    response = HttpResponse(workbook_bytes(built), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename, "xlsx")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _write_sheet(sheet, headers, columns, rows):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for index, (header, column) in enumerate(zip(headers, columns, strict=True), start=1):
        width = {"money": 16, "date": 12, "datetime": 17}.get(column.kind, 14)
        sheet.column_dimensions[get_column_letter(index)].width = max(
            width, min(len(header) + 4, 50)
        )

    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = _xlsx_cell(sheet, WriteOnlyCell, header, "text")
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, WriteOnlyCell, c.value(row), c.kind) for c in columns])
        count += 1
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"


def _sheet_title(title) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return cleaned[:31] or "Export"


def _xlsx_cell(sheet, cell_class, value, kind):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, bool):
        return cell_class(sheet, value=value)
    if isinstance(value, Decimal | int | float) and kind != "text":
        cell = cell_class(sheet, value=value)
        if kind == "money":
            cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        cell = cell_class(sheet, value=value)
        cell.number_format = "dd/mm/yyyy hh:mm" if _french() else "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, datetime.date):
        cell = cell_class(sheet, value=value)
        cell.number_format = "dd/mm/yyyy" if _french() else "yyyy-mm-dd"
        return cell
    if value is None:
        return cell_class(sheet, value=None)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters openpyxl refuses
    cell = cell_class(sheet, value=text)
    # openpyxl makes any string starting with "=" a formula: force an inline string instead.
    cell.data_type = "s"
    if is_dangerous(text):
        cell.quotePrefix = True
    return cell


def _french() -> bool:
    return (translation.get_language() or "fr").startswith("fr")
