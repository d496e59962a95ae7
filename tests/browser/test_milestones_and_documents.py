"""The project page's milestones and documents in a real Chromium: added, marked done and
uploaded inline with HTMX, without reloading the page; overdue ones on the leader's home.

The names of controls accept the English text and its French translation."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects import services
from projects.models import Document, Milestone

from .conftest import screenshot, sign_in
from .test_journeys import assert_not_reloaded, mark_page

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_leader_plans_completes_and_uploads_inline(page, world):
    project = world["projects"]["funded"]
    late = services.add_milestone(
        project,
        title="Kick-off report",
        due_date=timezone.localdate() - datetime.timedelta(days=10),
        partner=project.partners.get(role="coordinator"),
    )
    sign_in(page, "leader@world.example")
    expect(page.locator("#overdue-milestones")).to_be_visible()
    expect(page.get_by_text("Kick-off report")).to_be_visible()
    screenshot(page, "milestones-home-leader")

    page.goto(f"/projects/{project.pk}/")
    mark_page(page)
    section = page.locator("#milestones")
    row = section.locator(f"#milestone-{late.pk}")
    expect(row).to_contain_text(re.compile("overdue|en retard", re.I))

    # Add a deliverable: the section is swapped in place.
    form = section.locator("form.stacked")
    form.get_by_label(re.compile("^(title|titre)", re.I)).fill("D1.1 Requirements")
    form.get_by_label(re.compile("kind|type", re.I)).select_option("deliverable")
    form.get_by_label(re.compile("due date|échéance", re.I)).fill("2030-06-30")
    form.get_by_role("button", name=re.compile("^(add|ajouter)$", re.I)).click()
    expect(section.get_by_role("status")).to_contain_text("D1.1 Requirements")
    assert Milestone.objects.filter(title="D1.1 Requirements", kind="deliverable").exists()

    # Mark the late one done: only its row changes.
    row.get_by_role("button", name=re.compile("mark done|réalisé|fait", re.I)).click()
    expect(row).not_to_contain_text(re.compile("overdue|en retard", re.I))
    late.refresh_from_db()
    assert late.done_on == timezone.localdate()

    # Upload a disguised file, then a real one.
    documents = page.locator("#documents")
    upload = documents.locator("form")
    upload.get_by_label(re.compile("^(file|fichier)", re.I)).set_input_files(
        {"name": "setup.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00 exe"}
    )
    upload.get_by_role("button", name=re.compile("upload|téléverser|envoyer", re.I)).click()
    expect(documents.get_by_role("alert")).to_contain_text("PDF")
    assert not Document.objects.exists()

    upload = documents.locator("form")
    upload.get_by_label(re.compile("^(title|titre)", re.I)).fill("Consortium agreement")
    upload.get_by_label(re.compile("kind|type", re.I)).select_option("consortium_agreement")
    upload.get_by_label(re.compile("^(file|fichier)", re.I)).set_input_files(
        {"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    upload.get_by_role("button", name=re.compile("upload|téléverser|envoyer", re.I)).click()
    link = documents.get_by_role("link", name="Consortium agreement")
    expect(link).to_be_visible()
    assert_not_reloaded(page)
    screenshot(page, "milestones-documents-project-page")

    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "agreement.pdf"
    assert open(download.value.path(), "rb").read() == PDF
