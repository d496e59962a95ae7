"""portal.exports: any table to CSV or XLSX, readable by a French spreadsheet and harmless."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from portal.exports import (
    FORMULA_PREFIXES,
    PLAIN_CSV,
    Column,
    export_response,
    safe_filename,
    workbook_response,
)
from portal.models import Pole

COLUMNS = [
    Column(gettext_lazy("Name"), "name"),
    Column(gettext_lazy("Amount"), "amount", kind="money"),
    Column(gettext_lazy("Date"), "day"),
    ("Count", "count"),
    ("Flag", lambda row: row["flag"]),
]
ROWS = [
    {
        "name": "École Centrale",
        "amount": Decimal("1234567.5"),
        "day": datetime.date(2025, 3, 31),
        "count": 3,
        "flag": True,
    },
    {"name": "Sans montant", "amount": None, "day": None, "count": -2, "flag": False},
]
DANGEROUS = [f"{prefix}cmd|' /C calc'!A0" for prefix in FORMULA_PREFIXES]

pytestmark = pytest.mark.usefixtures("english")


def _csv(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def _rows(raw, delimiter=";"):
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_csv_is_for_french_spreadsheets():
    response = export_response("Funding", COLUMNS, ROWS, "csv")
    raw = _csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    assert "École".encode() in raw
    assert b"\r\n" in raw
    assert _rows(raw) == [
        ["Name", "Amount", "Date", "Count", "Flag"],
        ["École Centrale", "1234567,50", "2025-03-31", "3", "Yes"],
        ["Sans montant", "", "", "-2", "No"],
    ]


def test_plain_csv_is_for_programs():
    raw = _csv(export_response("Funding", COLUMNS, ROWS, "csv", csv_style=PLAIN_CSV))
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert _rows(raw, ",")[1][:2] == ["École Centrale", "1234567.50"]


def test_headers_and_values_in_the_users_language():
    columns = [Column(gettext_lazy("Project"), "name"), ("Flag", "flag")]
    with translation.override("fr"):
        response = export_response("Funding", columns, ROWS, "csv")
    # The CSV is written while it streams, after the view returned: still in French.
    rows = _rows(_csv(response))
    assert rows[0] == ["Projet", "Flag"]
    assert rows[1] == ["École Centrale", "Oui"]


def test_separators_and_quotes_inside_values_are_quoted():
    rows = [{"name": 'Dupont; Fils & "Cie"\nLyon', "amount": 1, "day": None, "count": 0}]
    raw = _csv(export_response("x", COLUMNS[:4], rows, "csv"))
    assert _rows(raw)[1][0] == 'Dupont; Fils & "Cie"\nLyon'


def test_xlsx_keeps_numbers_dates_and_money_formats():
    response = export_response("Funding", COLUMNS, ROWS, "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _sheet(response)
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == ["Name", "Amount", "Date", "Count", "Flag"]
    assert rows[0][0].font.bold
    name, amount, day, count, flag = rows[1]
    assert name.value == "École Centrale"
    assert amount.data_type == "n" and amount.value == pytest.approx(1234567.5)
    assert "€" in amount.number_format and "0.00" in amount.number_format
    assert day.is_date and day.value.date() == datetime.date(2025, 3, 31)
    assert count.value == 3 and count.data_type == "n"
    assert flag.value is True
    assert [c.value for c in rows[2]] == ["Sans montant", None, None, -2, False]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"


def test_xlsx_datetimes_are_local_and_naive():
    at = datetime.datetime(2025, 6, 1, 10, 30, tzinfo=datetime.UTC)
    sheet = _sheet(export_response("x", [("At", "at")], [{"at": at}], "xlsx"))
    value = sheet["A2"].value
    assert value == timezone.localtime(at).replace(tzinfo=None)  # 12:30 in Paris


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_neutralises_formulas(text):
    raw = _csv(export_response("x", [("Name", "name")], [{"name": text}], "csv"))
    assert _rows(raw)[1] == ["'" + text]


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_never_writes_a_formula(text):
    response = export_response("x", [("Name", "name")], [{"name": text}], "xlsx")
    assert b"<f>" not in _unzipped_sheet(response)
    cell = _sheet(response)["A2"]
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")  # XML reads a carriage return as a newline
    assert cell.quotePrefix


def test_xlsx_with_openpyxl_formula_syntax_stays_text():
    response = export_response("x", [("Name", "name")], [{"name": "=1+1"}], "xlsx")
    cell = load_workbook(io.BytesIO(response.content), data_only=False).active["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_headers_are_neutralised_too():
    raw = _csv(export_response("x", [("=HYPERLINK()", "name")], [], "csv"))
    assert _rows(raw) == [["'=HYPERLINK()"]]


def test_numbers_are_never_altered():
    rows = [{"amount": Decimal("-12.5")}]
    raw = _csv(export_response("x", [("Amount", "amount", "money")], rows, "csv"))
    assert _rows(raw)[1] == ["-12,50"]
    sheet = _sheet(export_response("x", [("Amount", "amount", "money")], rows, "xlsx"))
    assert sheet["A2"].value == pytest.approx(-12.5)


def test_text_kind_keeps_identifiers_as_text():
    rows = [{"siren": 12345678}]
    sheet = _sheet(export_response("x", [("SIREN", "siren", "text")], rows, "xlsx"))
    assert sheet["A2"].value == "12345678"


def test_control_characters_do_not_break_the_workbook():
    rows = [{"name": "bell\x07 and null\x00 here"}]
    sheet = _sheet(export_response("x", [("Name", "name")], rows, "xlsx"))
    assert sheet["A2"].value == "bell and null here"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_empty_export_is_a_header_row(fmt):
    response = export_response("Nothing", COLUMNS, [], fmt)
    assert response.status_code == 200
    if fmt == "csv":
        assert len(_rows(_csv(response))) == 1
    else:
        assert [[c.value for c in row] for row in _sheet(response).iter_rows()] == [
            ["Name", "Amount", "Date", "Count", "Flag"]
        ]


def test_unknown_format_is_not_found():
    with pytest.raises(Http404):
        export_response("x", COLUMNS, ROWS, "pdf")


def test_accessors_follow_paths_and_call_methods():
    class Organisation:
        legal_name = "Lab"

        def get_category_display(self):
            return "research organisation"

    class Partner:
        organisation = Organisation()

    columns = [("Name", "organisation.legal_name"), ("Cat", "organisation.get_category_display")]
    raw = _csv(export_response("x", columns, [Partner()], "csv"))
    assert _rows(raw)[1] == ["Lab", "research organisation"]


def test_unknown_column_kind_is_refused():
    with pytest.raises(ValueError):
        Column("x", "x", kind="euros")


@pytest.mark.parametrize(
    "stem,expected",
    [
        ("Funding lines", "funding-lines-2025-03-31.csv"),
        ("../../etc/passwd", "etcpasswd-2025-03-31.csv"),
        ("Pôle Éco / 2025", "pole-eco-2025-2025-03-31.csv"),
        ('"; rm -rf', "rm-rf-2025-03-31.csv"),
        ("", "export-2025-03-31.csv"),
        ("日本", "export-2025-03-31.csv"),
    ],
)
def test_filenames_are_safe(stem, expected):
    assert safe_filename(stem, "csv", day=datetime.date(2025, 3, 31)) == expected


def test_download_is_an_attachment_with_a_dated_name():
    response = export_response("Pôle Éco", COLUMNS, ROWS, "xlsx")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="pole-eco-{today}.xlsx"'


def test_sheet_title_is_valid_for_excel():
    response = export_response("a/b:c*d?[e]" + "x" * 40, COLUMNS, ROWS, "xlsx")
    title = _sheet(response).title
    assert len(title) <= 31 and not set("[]:*?/\\") & set(title)


@pytest.mark.django_db
def test_querysets_are_streamed_in_chunks(django_assert_max_num_queries):
    for i in range(3):
        Pole.objects.create(name=f"Pôle {i}", kind=Pole.Kind.CLUSTER)
    response = export_response("poles", [("Name", "name")], Pole.objects.order_by("name"), "csv")
    with django_assert_max_num_queries(1):
        rows = _rows(_csv(response))
    assert [r[0] for r in rows] == ["Name", "Pôle 0", "Pôle 1", "Pôle 2"]


def _unzipped_sheet(response):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_a_workbook_has_a_sheet_per_table():
    response = workbook_response(
        "Figures",
        [
            ("Totals", [("Granted", "granted", "money")], [{"granted": Decimal("10.5")}]),
            ("By source: public/private", [("Source", "label")], [{"label": "=EVIL()"}]),
            ("Empty", [("Nothing", "x")], []),
        ],
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Totals", "By source  public private", "Empty"]
    assert workbook["Totals"]["A2"].value == pytest.approx(10.5)
    assert "€" in workbook["Totals"]["A2"].number_format
    assert workbook["By source  public private"]["A2"].data_type == "s"
    assert workbook["Empty"].max_row == 1
    assert response["Content-Disposition"].endswith('.xlsx"')
