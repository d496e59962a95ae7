"""A membership application in a real Chromium, from submission to acceptance: an
organisation's admin sends the dossier (an empty one is refused first), the pole's staff find
it in their queue (filtered with HTMX), accept it, and the applicant sees the membership.

Controls are found by their names and addresses: the French catalogue of these pages is
maintained separately, so their labels may be either language."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Membership, MembershipApplication, Organisation

from .conftest import screenshot, sign_in
from .test_journeys import assert_not_reloaded, mark_page

pytestmark = pytest.mark.browser

ACTIVITIES = (
    "Menuiserie industrielle : panneaux composites bois-lin pour l'aménagement ferroviaire."
)
NEEDS = "Un laboratoire matériaux et un intégrateur pour un démonstrateur de cloison allégée."
WELCOME = "Bienvenue au pôle ! Rendez-vous à la journée des adhérents."


def applicant_sends_the_dossier(page, world):
    pole = world["poles"]["own"]
    organisation = Organisation.objects.get(legal_name="Outsider SARL")
    sign_in(page, "outsider@world.example")
    page.goto("/memberships/")
    page.locator(f'a[href="/poles/{pole.pk}/apply/"]').click()
    expect(page).to_have_url(re.compile(rf"/poles/{pole.pk}/apply/$"))
    page.locator(f'a[href="?organisation={organisation.pk}"]').click()
    form = page.locator("main form")
    # An empty dossier is refused, with a message on each field to fill.
    form.locator("button[type=submit]").click()
    expect(page.locator("#id_activities_error")).to_be_visible()
    expect(page.locator("#id_needs_error")).to_be_visible()
    screenshot(page, "application-1-empty-dossier")
    assert not MembershipApplication.objects.exists()

    form.locator("textarea[name=activities]").fill(ACTIVITIES)
    form.locator("textarea[name=needs]").fill(NEEDS)
    form.locator("textarea[name=project_idea]").fill("Cloisons allégées pour TER.")
    form.locator("input[name=people]").first.check()
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/memberships/applications/\d+/$"))
    expect(page.locator(".lead .badge")).to_have_class(re.compile(r"\bapplication-submitted\b"))
    expect(page.locator("main")).to_contain_text(NEEDS)
    screenshot(page, "application-2-sent")
    return MembershipApplication.objects.get(organisation=organisation)


def staff_accept_it(page, world, application):
    pole = world["poles"]["own"]
    page.context.clear_cookies()
    sign_in(page, "staff@world.example")
    page.goto(f"/poles/{pole.pk}/applications/")
    mark_page(page)
    page.locator("select[name=status]").select_option("accepted")
    expect(page.locator("#applications tbody")).not_to_contain_text("Outsider SARL")
    page.locator("select[name=status]").select_option("submitted")
    row = page.locator("#applications tbody tr", has_text="Outsider SARL")
    expect(row).to_be_visible()
    assert_not_reloaded(page)
    assert "status=submitted" in page.url  # the filter is in the address, to share or reload
    screenshot(page, "application-3-queue")

    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/$"))
    expect(page.locator("main")).to_contain_text(ACTIVITIES)
    accept = page.locator(f'form[action$="/applications/{application.pk}/accept/"]')
    accept.locator("textarea").fill(WELCOME)
    accept.locator("button[type=submit]").click()
    expect(page.locator(".lead .badge")).to_have_class(re.compile(r"\bapplication-accepted\b"))
    screenshot(page, "application-4-accepted")


def applicant_sees_the_membership(page, world):
    page.context.clear_cookies()
    sign_in(page, "outsider@world.example")
    page.goto("/memberships/")
    membership = page.locator("main table tbody tr", has_text="Pôle Own").first
    expect(membership.locator(".badge")).to_have_class(re.compile(r"\bmembership-new\b"))
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(WELCOME)
    screenshot(page, "application-5-member")


def test_an_application_from_submission_to_acceptance(page, world):
    application = applicant_sends_the_dossier(page, world)
    staff_accept_it(page, world, application)
    applicant_sees_the_membership(page, world)
    membership = Membership.objects.get(organisation=application.organisation)
    assert membership.status == Membership.Status.NEW
    assert membership.pole == world["poles"]["own"]
