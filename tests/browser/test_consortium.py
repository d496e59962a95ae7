"""The leader's consortium in a real Chromium: a partner found by typing its name, then a
contact invited from the partner's block, both without reloading what need not be."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Organisation
from portal.services import create_organisation
from projects.models import Invitation
from tests.factories import valid_siren

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_leader_finds_a_partner_as_they_type_and_invites_its_contact(page, world):
    found = create_organisation(
        Organisation(
            legal_name="Open Composites",
            siren=valid_siren(990),
            category="sme",
            region="ARA",
            directory_consent=True,
        )
    )
    draft = world["projects"]["draft"]
    sign_in(page, "leader@world.example")
    page.goto(draft.get_absolute_url())
    page.evaluate("window.__marker = 1")

    page.locator("#organisation-q").press_sequentially("open comp", delay=30)
    choice = page.get_by_role("radio", name=re.compile("Open Composites"))
    expect(choice).to_be_visible()
    assert page.evaluate("window.__marker") == 1, "the search reloaded the page"
    choice.check()
    page.get_by_role("button", name=re.compile("Add the partner|Ajouter le partenaire")).click()

    partner = draft.partners.get(organisation=found)
    expect(page.locator(f"#partner-{partner.pk}")).to_contain_text("Open Composites")
    block = page.locator(f"#manage-partner-{partner.pk}")
    block.locator("summary").click()
    block.get_by_label(re.compile("E-mail|électronique", re.I)).fill("zoe@example.test")
    page.evaluate("window.__marker = 2")
    block.get_by_role("button", name=re.compile("invitation", re.I)).click()

    block = page.locator(f"#manage-partner-{partner.pk}")
    expect(block.get_by_role("status")).to_contain_text("zoe@example.test")
    expect(block).to_contain_text("zoe@example.test")
    assert page.evaluate("window.__marker") == 2, "the invitation reloaded the page"
    assert Invitation.objects.get().partner == partner
    screenshot(page, "6-consortium-invitation-sent")
