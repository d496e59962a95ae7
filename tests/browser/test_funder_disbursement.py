"""A funder's reviewer records a disbursement on their line in a real Chromium: inline, the
totals follow without a reload; an over-disbursement shows its error in place."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from funding.models import Disbursement

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_funder_records_a_disbursement_inline_and_is_stopped_above_the_grant(page, world):
    funded = world["projects"]["funded"]
    line = funded.funding_lines.get()  # Bpifrance, 150 000 € granted on 1 February 2026
    sign_in(page, "funder@world.example")
    page.goto(funded.get_absolute_url())
    page.evaluate("window.__marker = 1")

    totals = page.locator("#funding-totals li").nth(2)
    expect(totals).to_contain_text(re.compile(r"^0\s€"))
    form = page.locator(f"#line-{line.pk}-disbursement-details")
    form.locator("summary").click()
    form.locator(f"#line-{line.pk}-disbursement-kind").select_option("pre_financing")
    form.locator(f"#line-{line.pk}-disbursement-amount").fill("45000")
    form.locator(f"#line-{line.pk}-disbursement-scheduled_date").fill("2026-02-15")
    form.locator(f"#line-{line.pk}-disbursement-paid_date").fill("2026-02-20")
    form.locator(f"#line-{line.pk}-disbursement-reference").fill("VIR-2026-001")
    form.locator("button[type=submit]").click()

    totals = page.locator("#funding-totals li").nth(2)
    expect(totals).to_contain_text(re.compile(r"45\s000\s€"))
    expect(page.locator("#funding [role=status]")).to_be_visible()
    expect(page.locator(f"#line-{line.pk}-details")).to_contain_text("VIR-2026-001")
    assert page.evaluate("window.__marker") == 1, "recording the disbursement reloaded the page"
    assert Disbursement.objects.get().amount == Decimal("45000.00")
    screenshot(page, "funding-1-disbursement-recorded")

    # 105 000 € remain: 110 000 € is too much, and the form says so where it was typed.
    form = page.locator(f"#line-{line.pk}-disbursement-details")
    form.locator("summary").click()
    form.locator(f"#line-{line.pk}-disbursement-amount").fill("110000")
    form.locator(f"#line-{line.pk}-disbursement-scheduled_date").fill("2026-06-01")
    form.locator("button[type=submit]").click()

    form = page.locator(f"#line-{line.pk}-disbursement-details")
    error = form.locator(f"#line-{line.pk}-disbursement-amount_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile(r"150\s000,00"))
    expect(form.locator(f"#line-{line.pk}-disbursement-amount")).to_have_value("110000")
    expect(form.locator(f"#line-{line.pk}-disbursement-amount")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("#funding-totals li").nth(2)).to_contain_text(re.compile(r"45\s000\s€"))
    assert page.evaluate("window.__marker") == 1
    assert Disbursement.objects.count() == 1
    screenshot(page, "funding-2-over-disbursement-refused")
