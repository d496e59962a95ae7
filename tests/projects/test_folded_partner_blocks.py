"""Each partner's management block (role, removal, contacts, invitations) stays folded, and
out of the project page, until someone opens it: the GET of the partner's "add a contact" URL
answers the block alone for htmx and on a page of its own without JavaScript, to whoever may
manage the partner's contacts (the leader any partner's, a member their own row's), nobody
else; a contact posted with an error shows the block open, as before."""

import pytest

from projects.models import Partner
from tests.shared import module_world
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HTMX = {"HX-Request": "true"}


built_world, world = module_world(build_world, language="en", client_language="en")


def rows(world):
    """The draft, its coordinator's row and the member's row."""
    draft = world["projects"]["draft"]
    member = draft.partners.get(organisation=world["organisations"]["member"])
    return draft, draft.partners.get(role=Partner.Role.COORDINATOR), member


def block_url(project, partner):
    return f"/projects/{project.pk}/partners/{partner.pk}/contacts/"


def test_the_project_page_holds_the_blocks_urls_not_their_forms(client, world):
    draft, coordinator, member = rows(world)
    client.force_login(world["people"]["leader"])
    html = client.get(draft.get_absolute_url()).content.decode()
    for partner in (coordinator, member):
        assert f'id="manage-partner-{partner.pk}"' in html  # the summary, with its counts
        assert f'hx-get="{block_url(draft, partner)}"' in html
        assert f'id="contact-{partner.pk}-email"' not in html
    assert "1 contact" in html
    assert "/role/" not in html and "/invitations/" not in html


def test_a_block_comes_alone_for_htmx_and_on_a_page_of_its_own_otherwise(client, world):
    draft, _, member = rows(world)
    url = block_url(draft, member)
    client.force_login(world["people"]["leader"])
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert html.strip().startswith('<div class="partner-manage-body">') and "<html" not in html
    assert f'<label for="contact-{member.pk}-email"' in html
    assert f'hx-target="#manage-partner-{member.pk}" hx-swap="outerHTML"' in html
    assert f"/partners/{member.pk}/role/" in html  # the leader's part
    html = client.get(url).content.decode()
    assert "<html" in html and "<h1>Partners and their contacts — Member Lab</h1>" in html
    assert f'href="{draft.get_absolute_url()}#manage-partner-{member.pk}"' in html
    assert "hx-disable" in html and f'id="contact-{member.pk}-email"' in html


def test_a_member_opens_their_own_row_only(client, world):
    draft, coordinator, member = rows(world)
    client.force_login(world["people"]["member"])
    html = client.get(block_url(draft, member), headers=HTMX).content.decode()
    assert f'id="contact-{member.pk}-email"' in html
    assert f"/partners/{member.pk}/role/" not in html  # the leader's part
    assert client.get(block_url(draft, coordinator), headers=HTMX).status_code == 404
    assert client.get(block_url(draft, coordinator)).status_code == 404


@pytest.mark.parametrize("role", ["staff", "funder", "expert", "outsider"])
def test_who_may_not_manage_the_contacts_does_not_find_the_block(client, world, role):
    client.force_login(world["people"][role])
    for key in ("draft", "submitted", "funded"):
        project = world["projects"][key]
        member = project.partners.get(organisation=world["organisations"]["member"])
        assert client.get(block_url(project, member), headers=HTMX).status_code == 404
        assert client.get(block_url(project, member)).status_code == 404


def test_a_contact_posted_with_an_error_shows_the_block_open(client, world):
    draft, _, member = rows(world)
    client.force_login(world["people"]["leader"])
    response = client.post(
        block_url(draft, member),
        {"email": "not an address", "role": "partner_contact"},
        headers=HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="manage-partner-{member.pk}" open>' in html
    assert "Enter a valid email address." in html
