"""The launches section's forms stay folded, and out of the project page, until someone opens
one: the GET of the form's URL answers it alone for htmx and on a page of its own without
JavaScript, to whoever may post it (the leaders, the launch's partner's contacts), nobody
else; a form posted with an error shows open in the section, as before."""

import pytest

from outcomes.models import LaunchRevenue, MarketLaunch
from tests.shared import module_world
from tests.world import build_world

from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HTMX = {"HX-Request": "true"}


built_world, world = module_world(
    lambda: build_outcomes(build_world()), language="en", client_language="en"
)


def forms(world):
    """{kind: (the form's URL, one of its fields)}; the launch is the member's Hydro-Cell 1."""
    funded, launch = world["projects"]["funded"], world["extra"]["funded:launch"]
    base = f"/projects/{funded.pk}/launches/"
    return {
        "add": (f"{base}new/", "add-launch-name"),
        "edit": (f"{base}{launch.pk}/edit/", f"launch-{launch.pk}-edit-name"),
        "revenue": (f"{base}{launch.pk}/revenues/", f"launch-{launch.pk}-revenue-amount"),
    }


def test_the_project_page_holds_the_forms_urls_not_their_fields(client, world):
    client.force_login(world["people"]["member"])
    html = client.get(world["projects"]["funded"].get_absolute_url()).content.decode()
    for url, field in forms(world).values():
        assert f'hx-get="{url}"' in html and f'href="{url}"' in html
        assert f'id="{field}"' not in html
    assert "Hydro-Cell 1" in html


@pytest.mark.parametrize("kind", ["add", "edit", "revenue"])
def test_a_form_comes_alone_for_htmx_and_on_a_page_of_its_own_otherwise(client, world, kind):
    url, field = forms(world)[kind]
    client.force_login(world["people"]["member"])
    html = client.get(url, headers=HTMX).content.decode()
    assert html.strip().startswith("<form") and "<html" not in html
    assert f'hx-post="{url}" hx-target="#launches" hx-swap="outerHTML"' in html
    assert f'<label for="{field}"' in html
    html = client.get(url).content.decode()
    assert "<html" in html and "<h1>" in html and f'id="{field}"' in html
    assert "hx-disable" in html and f'<form method="post" action="{url}"' in html


@pytest.mark.parametrize("kind", ["add", "edit", "revenue"])
def test_who_may_not_post_a_form_does_not_find_it(client, world, kind):
    url, _ = forms(world)[kind]
    for role in ("leader", "member", "staff", "funder", "expert", "outsider"):
        client.force_login(world["people"][role])
        expected = 200 if role in ("leader", "member") else 404
        assert client.get(url, headers=HTMX).status_code == expected, role
        assert client.get(url).status_code == expected, role


def test_the_edit_form_carries_the_launchs_version_and_saves(client, world):
    launch = world["extra"]["funded:launch"]
    url, _ = forms(world)["edit"]
    client.force_login(world["people"]["member"])
    html = client.get(url, headers=HTMX).content.decode()
    assert f'name="version" value="{launch.version}"' in html and 'value="Hydro-Cell 1"' in html
    data = {
        "partner": launch.partner_id,
        "name": "Hydro-Cell One",
        "kind": launch.kind,
        "launch_date": launch.launch_date.isoformat(),
        "markets": "FR, DE",
        "trl_reached": str(launch.trl_reached),
        "version": str(launch.version),
    }
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    assert "Launch “Hydro-Cell One” saved." in response.content.decode()
    assert MarketLaunch.objects.get(pk=launch.pk).version == launch.version + 1


def test_an_error_shows_the_form_open_in_the_section_and_the_others_folded(client, world):
    launch = world["extra"]["funded:launch"]
    url, field = forms(world)["revenue"]
    client.force_login(world["people"]["member"])
    response = client.post(url, {"year": "1800", "amount": "10"}, headers=HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="launch-{launch.pk}-revenue-details" open>' in html
    assert f'id="{field}"' in html and 'value="1800"' in html
    edit_url, edit_field = forms(world)["edit"]
    assert f'hx-get="{edit_url}"' in html and f'id="{edit_field}"' not in html
    assert LaunchRevenue.objects.filter(launch=launch).count() == 1
