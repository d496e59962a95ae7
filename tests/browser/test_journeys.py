"""Journeys through the HTMX pages in a real Chromium, asserting what a person sees.

The pages are served in French (the browser asks for fr-FR). Most of the interface has no
French catalogue yet, so the names of controls accept the English text and its translation.
"""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from projects.models import Partner

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def normalised(text):
    """Text with its runs of spaces (narrow no-break ones included) turned into one space."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ")).strip()


def query(page):
    return parse_qs(urlsplit(page.url).query)


def mark_page(page):
    """Leave a mark in the page's JavaScript state: a full reload wipes it."""
    page.evaluate("window.__marker = 1")


def assert_not_reloaded(page):
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def assert_htmx_loaded(page):
    assert page.evaluate("typeof window.htmx") == "object", "htmx.js did not load"


def test_sign_in_lands_on_the_home_page_with_my_projects(page, world):
    page.goto("/accounts/login/")
    form = page.locator("main form")
    # AuthenticationForm names the e-mail field "username".
    email = form.get_by_label(re.compile("e-mail|électronique", re.I))
    expect(email).to_have_attribute("name", "username")
    email.fill("leader@world.example")
    form.get_by_label("Mot de passe").fill("demo")
    form.get_by_role("button", name=re.compile("Sign in|connecter|Connexion")).click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leader")
    my_projects = page.get_by_role("region", name=re.compile("My projects|Mes projets"))
    for acronym in ("DRAFT", "SUBMIT", "FUNDED"):
        expect(my_projects.get_by_role("link", name=acronym, exact=True)).to_be_visible()
    expect(my_projects.get_by_role("link", name="FDRAFT")).to_have_count(0)
    screenshot(page, "1-home-signed-in")


def test_project_list_filters_live_without_reloading(page, world):
    sign_in(page, "leader@world.example")
    page.goto("/projects/")
    assert_htmx_loaded(page)
    results = page.locator("#project-results")
    expect(results.get_by_role("link", name="DRAFT", exact=True)).to_be_visible()
    mark_page(page)

    page.get_by_role("searchbox", name=re.compile("Search|Rechercher")).press_sequentially("FUND")

    expect(results.get_by_role("link", name="DRAFT", exact=True)).to_have_count(0)
    expect(results.get_by_role("link", name="FUNDED", exact=True)).to_be_visible()
    expect(results.locator("tbody").get_by_role("link")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q=FUND(&|$)"))
    expect(page.locator("#project-results")).to_have_count(1)  # swapped, not nested
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_not_reloaded(page)

    page.get_by_role("searchbox").fill("")
    expect(results.get_by_role("link", name="DRAFT", exact=True)).to_be_visible()
    page.get_by_role("combobox", name=re.compile("State|[ÉE]tat|Statut")).select_option("draft")

    expect(results.get_by_role("link", name="SUBMIT", exact=True)).to_have_count(0)
    expect(results.locator("tbody").get_by_role("link")).to_have_count(1)
    expect(results.get_by_role("link", name="DRAFT", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]state=draft(&|$)"))
    assert query(page).get("q", [""]) == [""]
    assert_not_reloaded(page)
    screenshot(page, "2-project-list-filtered")


def test_project_detail_shows_the_confidential_description_to_the_consortium_only(page, world):
    sign_in(page, "leader@world.example")
    page.goto("/projects/")
    page.locator("#project-results").get_by_role("link", name="FUNDED", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("FUNDED")
    summary = page.locator("section[aria-labelledby=summary]")
    description = page.locator("section[aria-labelledby=description]")
    expect(summary).to_contain_text("Public summary of FUNDED")
    expect(description).to_contain_text("Confidential plan of FUNDED")
    detail_url = page.url
    screenshot(page, "3-detail-leader")

    page.context.clear_cookies()
    sign_in(page, "outsider@world.example")
    page.goto(detail_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("FUNDED")
    expect(summary).to_contain_text("Public summary of FUNDED")
    expect(page.locator("main")).not_to_contain_text("Confidential plan of FUNDED")
    expect(page.locator("main")).not_to_contain_text("Member Lab")
    screenshot(page, "3-detail-outsider")


def member_lab_row(page, world):
    draft = world["projects"]["draft"]
    partner = draft.partners.get(organisation=world["organisations"]["member"])
    sign_in(page, "member@world.example")
    page.goto(draft.get_absolute_url())
    assert_htmx_loaded(page)
    return partner, page.locator(f"#partner-{partner.pk}")


def open_budget_form(page, row):
    row.get_by_role("link", name=re.compile(r"^(Edit|Modifier)\b")).click()
    personnel = row.get_by_role("textbox", name=re.compile("[Pp]ersonnel"))
    expect(personnel).to_be_visible()
    return personnel


def save_budget(page, row, amount):
    open_budget_form(page, row).fill(amount)
    row.get_by_role("button", name=re.compile("^(Save|Enregistrer)$")).click()


def test_member_edits_their_budget_inline(page, world):
    partner, row = member_lab_row(page, world)
    expect(row).to_contain_text("Member Lab")
    mark_page(page)

    save_budget(page, row, "150000")

    expect(row.locator("input[name=personnel_costs]")).to_have_count(0)
    expect(row).to_contain_text("Member Lab")
    assert "150 000,00 €" in normalised(row.inner_text())
    assert_not_reloaded(page)
    partner.refresh_from_db()
    assert partner.budget == Decimal("150000.00")
    screenshot(page, "4-budget-saved")


def test_consortium_total_follows_an_inline_budget_edit(page, world):
    _, row = member_lab_row(page, world)  # Leader SAS 0 €, Member Lab 120 000 €
    total = page.get_by_role("region", name="Consortium").locator("tfoot")
    assert "120 000,00 €" in normalised(total.inner_text())

    save_budget(page, row, "150000")

    expect(row.locator("input[name=personnel_costs]")).to_have_count(0)
    page.wait_for_timeout(300)  # let any out-of-band swap or follow-up request land
    assert "150 000,00 €" in normalised(total.inner_text())


def test_member_sees_why_a_negative_budget_is_refused_inline(page, world):
    partner, row = member_lab_row(page, world)
    mark_page(page)

    save_budget(page, row, "-5")

    expect(row.get_by_role("alert")).to_contain_text(
        re.compile("supérieure ou égale à 0|greater than or equal to 0|negative|négatif", re.I)
    )
    expect(row.locator("input[name=personnel_costs]")).to_have_attribute("aria-invalid", "true")
    assert_not_reloaded(page)
    assert Partner.objects.get(pk=partner.pk).budget == Decimal("120000.00")
    screenshot(page, "4-budget-refused")


def test_skip_link_is_the_first_focusable_element(page, world):
    sign_in(page, "leader@world.example")
    expect(page).to_have_url(re.compile(r"/$"))

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    expect(focused).to_have_text(re.compile("Skip to content|(Aller|Passer) au contenu"))
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_in_viewport()
    screenshot(page, "5-skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
