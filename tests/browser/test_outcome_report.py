"""An outcome report in a real Chromium, as the people live it: the leader finds the report on
their home page, fills each partner's figures inline (the totals follow without a reload),
writes the narrative and submits; the pole's staff find it to review and validate it, and the
report is locked.

The pages are served in French; controls are found by their ids and names, states by their
classes (the French catalogue is still being completed)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from outcomes.models import OutcomeReport
from tests.outcomes.world import build_outcomes

from .conftest import screenshot, sign_in
from .test_journeys import assert_not_reloaded, mark_page, normalised

pytestmark = pytest.mark.browser

# Typed the French way: decimal commas.
FIGURES = {
    "revenue": "120000",
    "export_share": "30",
    "jobs_created": "2,5",
    "jobs_maintained": "4",
    "patents_filed": "1",
    "patents_granted": "0",
    "publications": "2",
    "follow_on_funding": "0",
}


def fill_partner(page, figures):
    block = page.locator(f"#figures-{figures.pk}")
    for name, value in FIGURES.items():
        block.locator(f"#figures-{figures.pk}-{name}").fill(value)
    block.locator("button[name=complete]").click()
    block = page.locator(f"#figures-{figures.pk}")
    expect(block.locator("[role=status]")).to_be_visible()
    expect(block.locator(".badge-done")).to_be_visible()
    expect(block.locator("form")).to_have_count(1)  # still open to corrections


def test_leader_fills_and_submits_then_staff_validate(page, world):
    build_outcomes(world)
    report = world["extra"]["funded:report"]
    partners = list(report.figures.order_by("partner__organisation__legal_name"))

    sign_in(page, "leader@world.example")
    page.locator(f'main a[href="/reports/{report.pk}/"]').first.click()
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(page.locator("#report-state")).to_have_class(re.compile(r"\breport-not_started\b"))
    # The member's launch brought 40 000 € in 2026: offered in the form, not saved yet.
    member = world["extra"]["funded:member_figures"]
    expect(page.locator(f"#figures-{member.pk}-revenue")).to_have_value(re.compile(r"^40000"))
    mark_page(page)

    for figures in partners:
        fill_partner(page, figures)
    assert_not_reloaded(page)
    totals = page.locator("#report-totals")
    expect(totals.locator("[data-figure=revenue]")).to_contain_text(re.compile(r"240\s000"))
    expect(totals.locator("[data-figure=jobs_created]")).to_contain_text("5")
    assert normalised(page.locator("#partners-complete").inner_text()).startswith("2 ")
    screenshot(page, "outcome-report-1-figures-filled")

    page.locator("#report-narrative").fill("Une ligne pilote à Grenoble, puis une usine.")
    page.locator("#report-spin_offs").fill("1")
    page.locator("#leaders button[hx-post]").click()  # saved inline first
    expect(page.locator("#leaders [role=status]")).to_be_visible()
    assert_not_reloaded(page)
    report.refresh_from_db()
    assert report.spin_offs == 1
    page.locator("#report-spin_offs").fill("2")
    page.locator("#submit-report").click()
    expect(page.locator("#report-state")).to_have_class(re.compile(r"\breport-submitted\b"))
    expect(page.locator("#figures-" + str(partners[0].pk) + " form")).to_have_count(0)
    report.refresh_from_db()
    assert report.state == OutcomeReport.State.SUBMITTED
    assert report.submitted_figures["totals"]["revenue"] == "240000.00"
    assert report.narrative == "Une ligne pilote à Grenoble, puis une usine."
    assert report.spin_offs == 2  # what was typed since the save went with the submission
    screenshot(page, "outcome-report-2-submitted")

    page.context.clear_cookies()
    sign_in(page, "staff@world.example")
    page.locator(f'main a[href="/reports/{report.pk}/"]').first.click()
    expect(page.locator("#review")).to_be_visible()
    page.locator("#validate-report").click()
    expect(page.locator("#report-state")).to_have_class(re.compile(r"\breport-validated\b"))
    expect(page.locator("#locked-notice")).to_be_visible()
    expect(page.locator("#review")).to_have_count(0)
    report.refresh_from_db()
    assert report.state == OutcomeReport.State.VALIDATED
    assert report.figures.get(pk=member.pk).revenue == Decimal("120000.00")
    screenshot(page, "outcome-report-3-validated")
