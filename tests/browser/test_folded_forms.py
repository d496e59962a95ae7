"""The project page's folded forms in a real Chromium: a form is not in the page until its
``<details>`` is opened, then comes in place and saves without a reload; without JavaScript,
the link in the opened ``<details>`` leads to the form on a page of its own."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from funding.models import Funder, FundingLine, PrivateRound
from funding.services import record_funding_line

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_leader_opens_a_folded_line_form_which_loads_and_saves_in_place(page, world):
    funded = world["projects"]["funded"]
    line = record_funding_line(
        project=funded,
        partner=funded.partners.get(role="coordinator"),
        funder=Funder.objects.get(name="ANR"),
        programme="ANR PRCE",
        amount_requested=Decimal("10000.00"),
    )
    sign_in(page, "leader@world.example")
    page.goto(funded.get_absolute_url())
    page.evaluate("window.__marker = 1")

    details = page.locator(f"#line-{line.pk}-edit-details")
    amount = details.locator(f"#line-{line.pk}-edit-amount_requested")
    expect(amount).to_have_count(0)  # not in the page until opened
    summary = details.locator("summary")
    summary.focus()
    summary.press("Enter")  # the summary stays the control, from the keyboard too
    expect(amount).to_have_value(re.compile(r"^10\s?000[.,]00$"))
    expect(summary).to_be_focused()
    screenshot(page, "folded-1-form-loaded")

    amount.fill("12500")
    details.locator(f"#line-{line.pk}-edit-status").select_option("applied")
    details.locator("button[type=submit]").click()

    expect(page.locator("#funding [role=status]")).to_be_visible()
    expect(page.locator(f"#line-{line.pk}")).to_contain_text(re.compile(r"12\s500,00"))
    # The section came back with the form folded again, ready to load the new version.
    expect(page.locator(f"#line-{line.pk}-edit-details")).not_to_have_attribute("open", "")
    assert page.evaluate("window.__marker") == 1, "saving the form reloaded the page"
    line = FundingLine.objects.get(pk=line.pk)
    assert (line.amount_requested, line.status, line.version) == (
        Decimal("12500.00"),
        FundingLine.Status.APPLIED,
        2,
    )
    screenshot(page, "folded-2-form-saved")


def test_without_javascript_a_folded_form_has_a_page_of_its_own(browser, live_server, world):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        funded = world["projects"]["funded"]
        sign_in(page, "leader@world.example")
        page.goto(funded.get_absolute_url())
        details = page.locator("#add-round")
        details.locator("summary").click()
        details.locator(".folded-form a").click()

        expect(page.locator("h1")).to_be_visible()
        page.locator("#add-round-partner").select_option(label="Member Lab")
        page.locator("#add-round-amount").fill("250000")
        page.locator("#add-round-closed_on").fill("2026-05-12")
        page.locator("form.stacked button[type=submit]").click()

        page.wait_for_url(re.compile(rf"/projects/{funded.pk}/#funding$"))
        expect(page.locator("#private-rounds + table")).to_contain_text(re.compile(r"250\s000"))
        assert PrivateRound.objects.get().amount == Decimal("250000.00")
    finally:
        context.close()
