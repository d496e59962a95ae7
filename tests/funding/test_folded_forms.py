"""The funding section's forms stay folded, and out of the project page, until someone opens
one: the page holds the URL of each; the GET of that URL answers the form alone for htmx and
on a page of its own without JavaScript, to whoever may post it, and nobody else finds it; a
form posted with an error shows open in the section, as before."""

import datetime
from decimal import Decimal

import pytest

from funding.models import Disbursement, FundingLine
from funding.services import record_funding_line

from ..shared import module_world
from .records import advance_line, fresh, funding_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HTMX = {"HX-Request": "true"}


def _world():
    """The funding world, with a planned line of the coordinator (the leaders may edit it)
    and the member's repayable advance (the funder takes its repayments)."""
    world = funding_world()
    funded = world["projects"]["funded"]
    world["lines"]["planned"] = record_funding_line(
        project=funded,
        partner=funded.partners.get(role="coordinator"),
        funder=world["funders"]["bpi"],
        programme="PSPC-Régions",
        amount_requested=Decimal("5000.00"),
    )
    world["lines"]["advance"] = advance_line(world)
    return world


built_world, world = module_world(_world, language="en", client_language="en")


def project_url(world, suffix=""):
    return f"/projects/{world['projects']['funded'].pk}/{suffix}"


# (who opens it, the form's URL under the project's funding, one of its fields)
FORMS = {
    "add": ("leader", "lines/", "add-line-amount_requested"),
    "round": ("leader", "rounds/", "add-round-amount"),
    "edit": ("leader", "lines/{planned}/", "line-{planned}-edit-amount_requested"),
    "decision": ("funder", "lines/{bpi}/decision/", "line-{bpi}-decision-amount_granted"),
    "disbursement": ("funder", "lines/{bpi}/disbursements/", "line-{bpi}-disbursement-amount"),
    "repayment": ("funder", "lines/{advance}/repayments/", "line-{advance}-repayment-due_date"),
}


def form_of(world, kind):
    role, suffix, field = FORMS[kind]
    pks = {name: line.pk for name, line in world["lines"].items()}
    url = project_url(world, "funding/" + suffix.format(**pks))
    return world["people"][role], url, field.format(**pks)


@pytest.mark.parametrize("role", ["leader", "funder"])
def test_the_project_page_holds_the_forms_urls_not_their_fields(client, world, role):
    client.force_login(world["people"][role])
    html = client.get(project_url(world)).content.decode()
    for kind in FORMS:
        _, url, field = form_of(world, kind)
        if FORMS[kind][0] == role:
            assert f'hx-get="{url}"' in html and f'href="{url}"' in html, kind
        assert f'id="{field}"' not in html, kind
    assert "<form" not in html[html.index('id="funding"') : html.index('id="private-rounds"')]


@pytest.mark.parametrize("kind", list(FORMS))
def test_a_form_comes_alone_for_htmx_and_posts_as_it_did_in_the_page(client, world, kind):
    person, url, field = form_of(world, kind)
    client.force_login(person)
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert html.strip().startswith("<form") and "<html" not in html
    assert f'action="{url}"' in html and f'hx-post="{url}"' in html
    assert 'hx-target="#funding" hx-swap="outerHTML"' in html
    assert f'<label for="{field}"' in html and 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize("kind", list(FORMS))
def test_without_javascript_a_form_has_a_page_of_its_own(client, world, kind):
    person, url, field = form_of(world, kind)
    client.force_login(person)
    html = client.get(url).content.decode()
    assert "<html" in html and "<h1>" in html and f'id="{field}"' in html
    assert f'<a href="{project_url(world)}#' in html  # back to the project
    # Posted the ordinary way: htmx would swap the answer into a section the page lacks.
    assert "hx-disable" in html and f'<form method="post" action="{url}"' in html


def test_the_page_of_a_form_posts_back_to_the_project(client, world):
    person, url, _ = form_of(world, "disbursement")
    client.force_login(person)
    assert client.get(url).status_code == 200
    data = {"kind": "interim", "amount": "1000", "scheduled_date": "2026-03-01"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == project_url(world) + "#funding"
    assert Disbursement.objects.get().amount == Decimal("1000.00")


# Who finds which form: the leaders apply and record rounds; the funder decides, disburses
# and takes repayments on its own lines; the member, staff, experts and others find none.
MAY = {
    "add": {"leader"},
    "round": {"leader"},
    "edit": {"leader"},
    "decision": {"funder"},
    "disbursement": {"funder"},
    "repayment": {"funder"},
}


@pytest.mark.parametrize("kind", list(FORMS))
def test_who_may_not_post_a_form_does_not_find_it(client, world, kind):
    _, url, _ = form_of(world, kind)
    for role in ("leader", "member", "staff", "funder", "expert", "outsider"):
        client.force_login(world["people"][role])
        for headers in (HTMX, {}):
            expected = 200 if role in MAY[kind] else 404
            assert client.get(url, headers=headers).status_code == expected, (role, headers)


def test_a_form_of_another_funders_line_or_a_decided_application_is_not_found(client, world):
    anr, bpi = world["lines"]["anr"], world["lines"]["bpi"]
    client.force_login(world["people"]["funder"])
    for suffix in (f"lines/{anr.pk}/decision/", f"lines/{anr.pk}/disbursements/"):
        assert client.get(project_url(world, "funding/" + suffix)).status_code == 404
    client.force_login(world["people"]["leader"])
    assert client.get(project_url(world, f"funding/lines/{bpi.pk}/")).status_code == 404


def test_the_edit_form_carries_the_lines_version_and_saves(client, world):
    line = world["lines"]["planned"]
    person, url, _ = form_of(world, "edit")
    client.force_login(person)
    html = client.get(url, headers=HTMX).content.decode()
    assert f'name="version" value="{line.version}"' in html
    assert 'value="5000.00"' in html  # the line's amount
    data = {
        "version": line.version,
        "partner": line.partner_id,
        "programme": line.programme_id,
        "amount_requested": "6000",
        "status": "applied",
    }
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    assert "Application saved." in response.content.decode()
    assert (fresh(line).amount_requested, fresh(line).version) == (Decimal("6000.00"), 2)


def test_an_error_shows_the_form_open_in_the_section_and_the_others_folded(client, world):
    line = world["lines"]["bpi"]  # 150 000 € granted
    person, url, field = form_of(world, "disbursement")
    client.force_login(person)
    data = {"kind": "interim", "amount": "200000", "scheduled_date": "2026-03-01"}
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="line-{line.pk}-disbursement-details" open>' in html
    assert 'value="200000"' in html
    assert f'id="{field}_error"' in html
    _, decision_url, decision_field = form_of(world, "decision")
    assert f'hx-get="{decision_url}"' in html and f'id="{decision_field}"' not in html
    assert not Disbursement.objects.exists()


def test_a_stale_decision_shows_its_form_open_with_the_newer_values(client, world):
    line = world["lines"]["bpi"]
    person, url, _ = form_of(world, "decision")
    client.force_login(person)
    loaded = line.version
    FundingLine.objects.filter(pk=line.pk).update(conditions="Meanwhile", version=loaded + 1)
    data = {
        "version": loaded,
        "status": "granted",
        "amount_granted": "150000",
        "decision_date": datetime.date(2026, 2, 1).isoformat(),
    }
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert f'id="line-{line.pk}-decision-details" open>' in html
    assert f'name="version" value="{loaded + 1}"' in html and "Meanwhile" in html
