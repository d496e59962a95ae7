"""The funder's PDF summary of a project: what each reader sees in it, its JSON attachment,
PDF/A, and the renderer that fetches nothing from outside the project."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from pypdf import PdfReader

from funding.models import Funder
from funding.services import record_funding_line
from outcomes import services
from portal import pdf
from tests.world import build_world

from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

FIGURES = {
    "revenue": Decimal("100000.00"),
    "export_share": Decimal("25"),
    "jobs_created": Decimal("2.5"),
    "jobs_maintained": Decimal("4"),
    "patents_filed": 1,
    "patents_granted": 0,
    "publications": 3,
    "follow_on_funding": Decimal("0"),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        data = build_outcomes(build_world())
        funded = data["projects"]["funded"]
        record_funding_line(
            project=funded,
            partner=funded.partners.get(role="coordinator"),
            funder=Funder.objects.get(name="ANR"),
            programme="ANR PRCE",
            amount_requested=Decimal("80000.00"),
            amount_granted=Decimal("70000.00"),
            status="granted",
            decision_date=datetime.date(2026, 3, 1),
            conditions="ANR-ONLY-CONDITIONS",
        )
        report = data["extra"]["funded:report"]
        _validated(data, report, "A pilot line in Grenoble.")
        # SUBMIT, the expert's project, has a funding line and a validated report too: the
        # expert's summary must leave them out, not merely have none to show.
        submitted = data["projects"]["submitted"]
        record_funding_line(
            project=submitted,
            partner=submitted.partners.get(role="coordinator"),
            funder=Funder.objects.get(name="ANR"),
            programme="ANR ASTRID",
            amount_requested=Decimal("60000.00"),
            amount_granted=Decimal("55000.00"),
            status="granted",
            decision_date=datetime.date(2026, 4, 1),
        )
        campaign = data["extra"]["funded:campaign"]
        other = services.add_report(campaign, submitted, by=data["people"]["staff"])
        _validated(data, other, "SUBMIT-NARRATIVE of the sensors.")
        yield data
        transaction.set_rollback(True)


def _validated(world, report, narrative):
    for figures in report.figures.all():
        services.save_figures(figures, **FIGURES)
    services.save_report(report, narrative=narrative, spin_offs=1)
    services.submit_report(report, by=world["people"]["leader"])
    services.validate_report(report, by=world["people"]["staff"])


def _get(client, world, role, project="funded", path="/projects/{}/summary.pdf"):
    client.force_login(world["people"][role])
    return client.get(path.format(world["projects"][project].pk))


def _read(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_leader_summary_has_identity_consortium_funding_launches_and_outcomes(client, world):
    reader, text = _read(_get(client, world, "leader"))
    assert "FUNDED — FUNDED project" in text
    assert "Pôle Own" in text and "Leader SAS" in text and "Member Lab" in text
    assert "€150,000.00" in text and "€70,000.00" in text  # both funders' lines
    assert "Hydro-Cell 1" in text and "FR, DE" in text
    assert "Outcomes reported for 2026" in text and "€200,000.00" in text
    assert "Confidential plan of FUNDED" in text


def test_funder_sees_own_lines_and_other_funders_as_totals_only(client, world):
    reader, text = _read(_get(client, world, "funder"))
    assert "i-Nov" in text and "€150,000.00" in text
    assert "ANR PRCE" not in text and "ANR-ONLY-CONDITIONS" not in text
    assert "Other funders, as totals" in text
    figures = json.loads(reader.attachments["figures.json"][0])
    assert [line["programme"] for line in figures["funding_lines"]] == ["i-Nov"]
    assert figures["other_funders"] == [
        {"kind": "public", "lines": 1, "requested": "80000.00", "granted": "70000.00"}
    ]


def test_expert_summary_has_no_funding_nor_reports(client, world):
    shown = ["ANR ASTRID", "€55,000.00", "Funding lines", "Outcomes reported for 2026"]
    shown.append("SUBMIT-NARRATIVE")
    reader, text = _read(_get(client, world, "leader", project="submitted"))
    assert all(part in text for part in shown), text
    figures = json.loads(reader.attachments["figures.json"][0])
    assert "funding_lines" in figures and "outcomes" in figures
    reader, text = _read(_get(client, world, "expert", project="submitted"))
    assert "SUBMIT — SUBMIT project" in text
    assert not [part for part in shown if part in text]
    figures = json.loads(reader.attachments["figures.json"][0])
    assert "funding_lines" not in figures and "outcomes" not in figures


def test_attachment_matches_the_database(client, world):
    reader, _text = _read(_get(client, world, "staff"))
    figures = json.loads(reader.attachments["figures.json"][0])
    funded = world["projects"]["funded"]
    assert figures["project"]["acronym"] == "FUNDED"
    assert {p["organisation"]: p["budget"] for p in figures["partners"]} == {
        str(p.organisation): format(p.budget, "f") for p in funded.partners.all()
    }
    assert sorted(line["granted"] for line in figures["funding_lines"]) == [
        "150000.00",
        "70000.00",
    ]
    assert figures["launches"][0]["revenue"] == {"2026": "40000.00"}
    assert figures["outcomes"]["revenue"] == "200000.00"
    assert figures["outcomes"]["jobs_created"] == "5.0"


def test_pdf_is_archival_and_tagged(client, world):
    reader, _text = _read(_get(client, world, "leader"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


@pytest.mark.parametrize("role", ["outsider"])
def test_nobody_else_gets_it(client, world, role):
    assert _get(client, world, role).status_code == 404
    assert _get(client, world, role, path="/api/v1/projects/{}/summary/").status_code == 404


@pytest.mark.parametrize("role", ["leader", "member", "staff", "funder", "expert", "outsider"])
def test_foreign_project_summary_is_404_for_every_role(client, world, role):
    assert _get(client, world, role, project="foreign_labelled").status_code == 404


def test_api_gives_the_same_pdf(client, world):
    _reader, text = _read(_get(client, world, "funder", path="/api/v1/projects/{}/summary/"))
    assert "i-Nov" in text and "ANR PRCE" not in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.com/logo.png",
        "data:image/svg+xml;base64,PHN2Zy8+",
        pdf.BASE_URL + "static/../../settings.py",
        pdf.BASE_URL + "media/documents/secret.pdf",
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.safe_fetcher().fetch(url)


def test_fetcher_serves_our_stylesheet():
    response = pdf.safe_fetcher().fetch(pdf.BASE_URL + "static/css/pdf.css")
    assert b"@page" in response.read()


def test_markup_typed_by_a_user_is_text_not_a_fetch(client, world, monkeypatch):
    funded = world["projects"]["funded"]
    funded.description = (
        '<img src="file:///etc/passwd"><link rel=stylesheet href="http://127.0.0.1/">'
    )
    funded.save()
    fetched = []
    real = pdf.fetcher_class()

    class Spy(real):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(pdf, "safe_fetcher", lambda: Spy())
    _reader, text = _read(_get(client, world, "leader"))
    assert 'src="file:///etc/passwd"' in text  # shown as the text it is
    assert fetched == [pdf.BASE_URL + "static/css/pdf.css"]
