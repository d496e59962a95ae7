"""Trust in what comes in and goes out: every upload has a size limit and a type read from its
content, every import refuses what would exhaust the server and writes all or nothing, every
spreadsheet export keeps a formula as text, every PDF fetches nothing but our static files."""

import csv
import io
import re
import socket
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from pypdf import PdfReader

from funding.models import Funder, FundingLine
from outcomes import impact_pdf
from outcomes.models import ImpactReportFile, MarketLaunch
from portal import pdf
from portal.imports import MAX_COLUMNS, FileRefused, import_members, open_table
from portal.models import Membership, Organisation, Theme
from projects.models import Project, Submission

from ..factories import PoleFactory, pole_staff, valid_siren
from ..outcomes.world import build_outcomes
from ..shared import module_world
from ..world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EVIL = '=HYPERLINK("http://127.0.0.1:1/x","click")'
EVIL_TOO = "@SUM(1+1)*cmd|' /C calc'!A0"
MARKUP = (
    '<img src="http://127.0.0.1:1/x"><link rel=stylesheet href="http://127.0.0.1:1/y">'
    '<p style="background: url(http://127.0.0.1:1/z)">styled</p>'
    "<style>@import url(http://127.0.0.1:1/w);</style>"
)


def _build_world():
    """The world with outcomes, where a user-typed text of each kind is a spreadsheet formula."""
    world = build_outcomes(build_world())
    funded = world["projects"]["funded"]
    Organisation.objects.filter(pk=world["organisations"]["leader"].pk).update(legal_name=EVIL)
    Organisation.objects.filter(pk=world["organisations"]["member"].pk).update(legal_name=EVIL_TOO)
    Project.objects.filter(pk=funded.pk).update(title=EVIL)
    funded.themes.add(*Theme.objects.filter(pole=world["poles"]["own"]))
    Funder.objects.filter(name="Bpifrance").update(name=EVIL)
    Theme.objects.update(name=EVIL)
    FundingLine.objects.filter(project=funded).update(conditions=EVIL)
    MarketLaunch.objects.filter(pk=world["extra"]["funded:launch"].pk).update(name=EVIL)
    return world


built_world, world = module_world(_build_world, language="en")


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- What a request may carry ------------------------------------------------------------------


def test_a_file_over_the_limit_is_counted_but_not_kept(settings):
    settings.MAX_UPLOAD_SIZE = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # to a temporary file, as a large upload goes
    request = RequestFactory().post(
        "/", {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 49_995)}
    )
    upload = request.FILES["file"]
    assert upload.size == 50_000  # what the forms and services check
    assert len(upload.read()) == 1001  # what the disk holds


def test_a_document_over_the_limit_is_refused_on_the_page_and_in_the_api(client, world, settings):
    settings.MAX_UPLOAD_SIZE = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    funded = world["projects"]["funded"]
    client.force_login(world["people"]["leader"])
    big = b"%PDF-1.4\n" + b"x" * 5000

    response = client.post(
        f"/projects/{funded.pk}/documents/",
        {"kind": "other", "file": SimpleUploadedFile("big.pdf", big)},
    )
    assert response.status_code == 400
    assert "The file is larger than 1000\xa0bytes." in response.content.decode()

    response = client.post(
        "/api/v1/documents/", {"project": funded.pk, "file": SimpleUploadedFile("big.pdf", big)}
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 1000\xa0bytes."]}
    assert not funded.documents.exists()


def test_a_form_larger_than_allowed_gets_a_page_that_says_so(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world["people"]["leader"])
    client.get("/organisations/new/")  # the CSRF cookie, as a browser has it
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/organisations/new/", {"csrfmiddlewaretoken": token, "legal_name": "x" * 2000}
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "Too much sent at once" in html
    assert "What was sent is larger than 1000\xa0bytes, files aside: nothing was saved." in html


def test_the_api_answers_a_400_in_json_for_a_request_too_large(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client.force_login(world["people"]["leader"])
    response = client.post(
        "/api/v1/funding-lines/", {"conditions": "x" * 2000}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("What was sent is larger than 1000\xa0bytes")

    response = client.post("/api/v1/documents/", {f"field{n}": "1" for n in range(10)})
    assert response.status_code == 400
    assert response.json() == {"detail": "What was sent has more than 5 fields: nothing was saved."}


def test_more_files_than_allowed_are_refused_with_a_message(client, world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    funded = world["projects"]["funded"]
    client.force_login(world["people"]["leader"])
    files = {f"file{n}": SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4") for n in range(3)}
    response = client.post(f"/projects/{funded.pk}/documents/", files)
    assert response.status_code == 400
    assert "More than 2 files were sent at once: nothing was saved." in response.content.decode()


def test_any_other_bad_request_is_still_djangos(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"Bad Request (400)" in response.content


# --- The members import: files that would exhaust the server -----------------------------------

HEADERS = ["Raison sociale", "SIREN", "Catégorie"]


@pytest.fixture
def pole():
    return PoleFactory(name="Pôle Limites")


def _rows(n):
    return [[f"Membre {i}", valid_siren(200 + i), "PME"] for i in range(n)]


def _xlsx(rows, extra_parts=(), sheet=None):
    """A workbook of ``rows``; ``sheet`` rewrites its sheet's XML, ``extra_parts`` are
    ``(name, bytes, compression)`` added to the archive."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    built = io.BytesIO()
    workbook.save(built)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(built.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if sheet is not None and info.filename == "xl/worksheets/sheet1.xml":
                data = sheet(data.decode()).encode()
            target.writestr(info, data)
        for name, data, compression in extra_parts:
            target.writestr(name, data, compress_type=compression)
    return out.getvalue()


def _csv(rows, headers=HEADERS):
    return "\r\n".join(";".join(r) for r in [headers, *rows]).encode() + b"\r\n"


def _refused(data, pole, **limits):
    with pytest.raises(FileRefused) as refused:
        import_members(io.BytesIO(data), pole, dry_run=False, skip_invalid=True, **limits)
    return " ".join(refused.value.messages)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(pole, monkeypatch):
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
    bomb = _xlsx(_rows(1), [("xl/media/image1.png", b"\0" * 2_000_000, zipfile.ZIP_DEFLATED)])
    assert len(bomb) < 20_000
    message = _refused(bomb, pole, max_unpacked=1_000_000)
    assert "This XLSX workbook unpacks to more than 976.6\xa0KB" in message
    assert opened == []


def test_an_archive_compressed_as_xlsx_never_is_refused(pole):
    odd = _xlsx(_rows(1), [("xl/media/image1.png", b"\0" * 1000, zipfile.ZIP_BZIP2)])
    assert "not built as Excel or LibreOffice build them" in _refused(odd, pole)


def test_a_sheet_declaring_the_largest_dimensions_is_read_as_it_holds(pole):
    """Excel's largest sheet declared ("A1:XFD1048576"), one cell in its last column further
    down: the rows between are not padded to 16 384 empty cells each, and no row is read past
    its 200th column — a 4 KB file cannot keep the server busy for minutes."""

    def huge(xml):
        far = '<row r="2000"><c r="XFD2000" t="inlineStr"><is><t>far away</t></is></c></row>'
        return xml.replace(
            '<dimension ref="A1:C2" />', '<dimension ref="A1:XFD1048576" />'
        ).replace("</sheetData>", far + "</sheetData>")

    data = _xlsx([HEADERS, *_rows(1)], sheet=huge)
    table = open_table(io.BytesIO(data))
    rows = list(table.rows())
    table.close()
    assert len(rows) == 2000
    assert [len(cells) for _number, cells in rows[:3]] == [3, 3, 0]
    assert len(rows[-1][1]) == MAX_COLUMNS and set(rows[-1][1]) == {None}
    report = import_members(io.BytesIO(data), pole, dry_run=True)
    assert [(r.number, r.action, r.errors) for r in report.rows] == [(2, "create", [])]


def test_a_sheet_going_on_far_below_its_table_is_refused_for_the_page(pole):
    def far_below(xml):
        far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", far + "</sheetData>")

    data = _xlsx([HEADERS, *_rows(2)], sheet=far_below)
    message = _refused(data, pole, max_lines=1000)
    assert "The file goes on past row 1000 (blank rows count too)" in message
    assert not Membership.objects.filter(pole=pole).exists()


def test_blank_csv_lines_count_towards_the_pages_limit(pole):
    data = _csv(_rows(2)) + b"\r\n" * 50 + f"Late;{valid_siren(299)};PME\r\n".encode()
    assert "goes on past row 40" in _refused(data, pole, max_lines=40)


def test_a_sheet_damaged_further_down_is_refused_and_nothing_is_written(pole):
    def cut(xml):
        return xml[: xml.index('<row r="4"') + 30]

    data = _xlsx([HEADERS, *_rows(5)], sheet=cut)
    assert "This XLSX workbook cannot be read" in _refused(data, pole)
    assert not Membership.objects.filter(pole=pole).exists()


def test_a_csv_value_too_long_refuses_the_file_and_nothing_is_written(pole):
    data = _csv([*_rows(3), ["x" * 200_000, valid_siren(299), "PME"]])
    assert "Line 5 cannot be read as CSV (field larger than field limit" in _refused(data, pole)
    assert not Membership.objects.filter(pole=pole).exists()


def test_a_csv_must_be_text_to_its_last_byte(pole):
    data = _csv(_rows(500)) + b"\x00\x01\x02binary"
    assert len(data) > 8192  # past what the first look reads
    assert "neither a CSV text file nor an XLSX workbook" in _refused(data, pole)


def test_only_the_first_200_columns_are_read(pole):
    headers = ["Raison sociale", "Catégorie", *[f"Colonne {n}" for n in range(198)], "SIREN"]
    data = _csv([["Acme", "PME", *[""] * 198, valid_siren(201)]], headers=headers)
    assert "Required columns are missing: « SIREN »" in _refused(data, pole)


def test_the_page_refuses_a_zip_bomb_on_the_form(client, pole, monkeypatch):
    monkeypatch.setattr("portal.imports.WEB_MAX_UNPACKED", 1_000_000)
    client.force_login(pole_staff(pole))
    bomb = _xlsx(
        [HEADERS, *_rows(1)], [("xl/media/image1.png", b"\0" * 2_000_000, zipfile.ZIP_DEFLATED)]
    )
    response = client.post(
        f"/poles/{pole.pk}/import/", {"file": SimpleUploadedFile("membres.xlsx", bomb)}
    )
    assert response.status_code == 400
    assert "This XLSX workbook unpacks to more than" in response.content.decode()
    assert "confirm_form" not in response.context


# --- Exports: a formula typed anywhere comes out as text ---------------------------------------


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def _cells(response, fmt):
    """Every (text, is_formula_safe) cell of a CSV or XLSX download."""
    body = _body(response)
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text), delimiter=";"):
            for value in row:
                yield value, NUMBER.fullmatch(value) or not value.startswith(FORMULA_START)
        return
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                text = str(cell.value)
                dangerous = isinstance(cell.value, str) and text.startswith(FORMULA_START)
                yield text, cell.data_type != "f" and (not dangerous or cell.quotePrefix)


EXPORTS = [
    # (family, role, URL template)
    ("project list", "staff", "/projects/export.{fmt}"),
    ("project funding", "leader", "/projects/{funded}/funding/export.{fmt}"),
    ("funding lines", "staff", "/funding/lines/export.{fmt}"),
    ("funding portfolio", "funder", "/funding/portfolio/export.{fmt}"),
    ("funding lines API", "staff", "/api/v1/funding-lines/?format={fmt}"),
    ("launches", "staff", "/launches/export.{fmt}"),
    ("campaign reports", "staff", "/campaigns/{campaign}/export.{fmt}"),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("family,role,url", EXPORTS, ids=[e[0] for e in EXPORTS])
def test_every_export_keeps_a_typed_formula_as_text(client, world, family, role, url, fmt):
    client.force_login(world["people"][role])
    path = url.format(
        fmt=fmt,
        funded=world["projects"]["funded"].pk,
        campaign=world["extra"]["funded:campaign"].pk,
    )
    response = client.get(path)
    assert response.status_code == 200, path
    cells = list(_cells(response, fmt))
    ours = [(text, safe) for text, safe in cells if "HYPERLINK" in text or "SUM(1+1)" in text]
    assert ours, f"{family}: the typed formula is not in the export"
    assert all(safe for _text, safe in cells), [text for text, safe in cells if not safe]


@pytest.mark.parametrize(
    "family,url",
    [
        ("funding figures", "/funding/figures.xlsx"),
        ("impact report", "/impact/{pole}/2026/report.xlsx"),
    ],
)
def test_every_workbook_keeps_a_typed_formula_as_text(client, world, family, url):
    client.force_login(world["people"]["staff"])
    response = client.get(url.format(pole=world["poles"]["own"].pk))
    assert response.status_code == 200
    cells = list(_cells(response, "xlsx"))
    assert any("HYPERLINK" in text for text, _safe in cells), family
    assert all(safe for _text, safe in cells), [text for text, safe in cells if not safe]


# --- PDFs: nothing fetched but our own static files --------------------------------------------


@pytest.fixture
def fetches(monkeypatch):
    """What the PDF renderer asks for, and any network connection tried meanwhile (refused)."""
    seen = {"urls": [], "connections": []}
    fetcher = pdf.fetcher_class()

    class Spy(fetcher):
        def fetch(self, url, headers=None):
            seen["urls"].append(url)
            return super().fetch(url, headers)

    def connect(sock, address):
        seen["connections"].append(address)
        raise OSError("no network while rendering a PDF")

    monkeypatch.setattr(pdf, "safe_fetcher", lambda: Spy())
    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def _served(urls):
    return [url for url in urls if pdf.static_path(url) is not None]


def _pdf_text(content):
    """The PDF's text without spaces, line ends and hyphens added where lines break."""
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"[\s\u2010]", "", "".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/pdf.css",
        "http://127.0.0.1:1/x",
        "file:///etc/passwd",
        f"file://{Path(pdf.__file__).resolve()}",
        pdf.BASE_URL + "static/%2e%2e/%2e%2e/portal/settings.py",
        pdf.BASE_URL + "static//etc/passwd",
        "https://grappe.invalid.example.com/static/css/pdf.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.safe_fetcher().fetch(url)


def test_a_template_pointing_outside_still_fetches_nothing_outside(fetches):
    """The second lock: markup of our own (templates/pdf/_probe.html) asking for a file, a
    server of the network and a data: URI gets none of them."""
    content = pdf.render_pdf("pdf/_probe.html", {}, identifier="GRP-PROBE")
    assert content.startswith(b"%PDF-")
    assert fetches["connections"] == []
    assert _served(fetches["urls"]) == [pdf.BASE_URL + "static/css/pdf.css"]
    assert "file:///etc/passwd" in fetches["urls"]  # asked, refused


def test_markup_typed_into_a_summary_is_printed_not_fetched(client, world, fetches):
    funded = world["projects"]["funded"]
    Project.objects.filter(pk=funded.pk).update(description=MARKUP)
    client.force_login(world["people"]["leader"])
    response = client.get(f"/projects/{funded.pk}/summary.pdf")
    assert response.status_code == 200
    assert '<imgsrc="http://127.0.0.1:1/x">' in _pdf_text(response.content)
    assert fetches["connections"] == []
    assert fetches["urls"] == [pdf.BASE_URL + "static/css/pdf.css"]


def test_markup_typed_into_a_letter_is_printed_not_fetched(client, world, fetches):
    submission = Submission.objects.get(project=world["projects"]["funded"])
    Submission.objects.filter(pk=submission.pk).update(conditions=MARKUP, committee=MARKUP[:40])
    client.force_login(world["people"]["leader"])
    url = f"/projects/{submission.project_id}/submissions/{submission.pk}/letter.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert "url(http://127.0.0.1:1/z)" in _pdf_text(response.content)
    assert fetches["connections"] == []
    assert fetches["urls"] == [
        pdf.BASE_URL + "static/css/pdf.css",
        pdf.BASE_URL + "static/css/pdf-letter.css",
    ]


def test_markup_typed_into_the_impact_report_is_printed_not_fetched(world, fetches):
    MarketLaunch.objects.filter(pk=world["extra"]["funded:launch"].pk).update(name=MARKUP[:200])
    report = impact_pdf.request_report(world["poles"]["own"], 2026, "en")
    impact_pdf.generate_impact_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == ImpactReportFile.Status.DONE, report.error
    assert '<imgsrc="http://127.0.0.1:1/x">' in _pdf_text(report.file.read())
    assert fetches["connections"] == []
    assert fetches["urls"] == [pdf.BASE_URL + "static/css/pdf.css"]


def test_a_pdf_named_after_a_typed_acronym_keeps_its_header_whole(client, world):
    funded = world["projects"]["funded"]
    Project.objects.filter(pk=funded.pk).update(acronym='A"; filename=x.html\r\nX-Evil: 1')
    client.force_login(world["people"]["leader"])
    response = client.get(f"/projects/{funded.pk}/summary.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''A%22%3B%20filename%3Dx.html%0D%0AX-Evil%3A%201-summary.pdf"
    )
    assert "X-Evil" not in response.headers
