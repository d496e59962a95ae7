"""The project page's funding section, kept between views (``funding.views.page_section``):
each viewer gets what a fresh computation would show them — never another viewer's section,
never one older than the funding, the names or the day — with their own CSRF token."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from funding import services
from funding.models import Funder, Programme
from portal.models import FiguresSnapshot, Organisation
from tests.shared import module_world
from tests.world import ROLES, build_world

pytestmark = pytest.mark.django_db
VIEWERS = [*ROLES, "other-reviewer", "superuser"]


def _build():
    world = build_world()
    funded = world["projects"]["funded"]
    line = funded.funding_lines.get()
    services.record_disbursement(
        line,
        kind="pre_financing",
        amount=Decimal("50000"),
        scheduled_date=datetime.date(2026, 3, 1),
    )
    services.record_disbursement(
        line, kind="interim", amount=Decimal("40000"), scheduled_date=datetime.date(2030, 3, 1)
    )
    # A line of the other funder on the same project: its reviewer sees only that one.
    world["people"]["other-reviewer"] = get_user_model().objects.get(reviewer_for__name="ANR")
    services.record_funding_line(
        project=funded,
        partner=funded.partners.get(organisation__legal_name="Leader SAS"),
        programme=services.programme_named(
            Funder.objects.get(name="ANR"), "ANR avance", Programme.Instrument.REPAYABLE_ADVANCE
        ),
        amount_requested=Decimal("80000"),
        amount_granted=Decimal("80000"),
        status="granted",
        decision_date=datetime.date(2026, 2, 1),
    )
    world["people"]["superuser"] = get_user_model().objects.create_superuser("root@x.org", "x")
    return world


built_world, world = module_world(_build)


def _section(html):
    """The funding section of a page, its CSRF tokens blanked (each request has its own)."""
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]*"',
        'name="csrfmiddlewaretoken"',
        _section_raw(html),
    )


def _page(world, role, project):
    client = Client()
    client.force_login(world["people"][role])
    return client.get(f"/projects/{project.pk}/").content.decode()


def _kept_and_fresh(world, role, project):
    kept = _section(_page(world, role, project))
    FiguresSnapshot.objects.filter(kind="project-funding").delete()
    return kept, _section(_page(world, role, project))


@pytest.mark.parametrize("order", [VIEWERS, VIEWERS[::-1]], ids=["forward", "backward"])
def test_each_viewer_gets_their_own_section(world, order):
    """Everyone views the page in turn, the sections of those before kept: each gets what a
    fresh computation shows them (a key missing a right would hand them another's)."""
    funded = world["projects"]["funded"]
    sections = {}
    for role in order:
        _page(world, role, funded)  # kept for this role's kind of viewer
    for role in order:
        kept = _section(_page(world, role, funded))
        sections[role] = kept
        FiguresSnapshot.objects.filter(kind="project-funding").delete()
        assert kept == _section(_page(world, role, funded)), role
        for other in order:  # the others' kept again, as before
            _page(world, other, funded)
    # What the viewers differ in shows: the leader may add lines, reviewers see their own.
    assert 'id="add-line' in sections["leader"] or "Add a funding line" in sections["leader"]
    assert "i-Nov" in sections["funder"] and "ANR avance" not in sections["funder"]
    assert "ANR avance" in sections["other-reviewer"] and "i-Nov" not in sections["other-reviewer"]
    assert sections["expert"] == sections["outsider"] == ""
    assert sections["staff"] != sections["leader"] != sections["funder"]


def _changes(world):
    funded = world["projects"]["funded"]
    line = funded.funding_lines.get(programme__name="i-Nov")
    advance = funded.funding_lines.get(programme__name="ANR avance")
    tranche = line.disbursements.order_by("scheduled_date").first()
    return {
        "a tranche paid": lambda: services.change_disbursement(
            tranche, paid_date=datetime.date(2026, 3, 5)
        ),
        "a tranche added": lambda: services.record_disbursement(
            line, amount=Decimal("1000"), scheduled_date=datetime.date(2029, 1, 1)
        ),
        "a line changed": lambda: services.change_funding_line(line, conditions="Audit in 2027"),
        "a repayment": lambda: (
            services.record_disbursement(
                advance, amount=Decimal("80000"), scheduled_date=datetime.date(2026, 4, 1)
            ),
            services.record_repayment(
                advance, amount=Decimal("20000"), due_date=datetime.date(2027, 4, 1)
            ),
        ),
        "a private round": lambda: services.record_private_round(
            funded.partners.get(organisation__legal_name="Leader SAS"),
            amount=Decimal("300000"),
            closed_on=datetime.date(2026, 5, 1),
            investors="Business angels",
        ),
        "a funder renamed": lambda: _rename(Funder, "Bpifrance", "Bpifrance Innovation"),
        "a programme renamed": lambda: _rename(Programme, "i-Nov", "i-Nov 2026"),
        "an organisation renamed": lambda: _rename(Organisation, "Member Lab", "Member Labs"),
        "a partner's line moved": lambda: services.change_funding_line(
            line, partner=funded.partners.get(organisation__legal_name="Leader SAS")
        ),
    }


def _rename(model, old, new):
    field = "legal_name" if model is Organisation else "name"
    row = model.objects.get(**{field: old})
    setattr(row, field, new)
    row.save()


@pytest.mark.parametrize(
    "change",
    [
        "a tranche paid",
        "a tranche added",
        "a line changed",
        "a repayment",
        "a private round",
        "a funder renamed",
        "a programme renamed",
        "an organisation renamed",
        "a partner's line moved",
    ],
)
@pytest.mark.parametrize("role", ["leader", "funder", "other-reviewer", "staff"])
def test_a_change_shows_at_once(world, change, role):
    funded = world["projects"]["funded"]
    before = _section(_page(world, role, funded))
    _changes(world)[change]()
    kept, fresh = _kept_and_fresh(world, role, funded)
    assert kept == fresh
    if role in ("leader", "staff"):  # they see every line: every change shows
        assert kept != before


def test_a_new_day_shows_at_once(world, monkeypatch):
    """Late tranches and the paid date the forms offer are the day's."""
    funded = world["projects"]["funded"]
    before = _section(_page(world, "funder", funded))
    assert 'value="' + timezone.localdate().isoformat() + '"' in before
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: tomorrow)
    kept, fresh = _kept_and_fresh(world, "funder", funded)
    assert kept == fresh and f'value="{tomorrow.isoformat()}"' in kept


def test_a_kept_section_carries_the_viewers_own_csrf_token(world):
    """Two reviewers of the same funder share a kept section; each posts with their token."""
    funded = world["projects"]["funded"]
    first = Client()
    first.force_login(world["people"]["funder"])
    first.get(f"/projects/{funded.pk}/")  # kept now
    second_reviewer = get_user_model().objects.create_user("second@bpi.example", "x")
    services.add_reviewer(Funder.objects.get(name="Bpifrance"), second_reviewer)
    second = Client(enforce_csrf_checks=True)
    second.force_login(second_reviewer)
    html = second.get(f"/projects/{funded.pk}/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', _section_raw(html)))
    assert tokens and "csrf-token-of-the-request" not in html
    tranche = funded.funding_lines.get(programme__name="i-Nov").disbursements.first()
    response = second.post(
        f"/projects/{funded.pk}/funding/disbursements/{tranche.pk}/paid/",
        {
            "csrfmiddlewaretoken": tokens.pop(),
            "paid_date": "2026-03-05",
            "version": tranche.version,
        },
    )
    assert response.status_code in (200, 302), response.status_code
    tranche.refresh_from_db()
    assert tranche.paid_date == datetime.date(2026, 3, 5)


def _section_raw(html):
    """The funding section of a page, as served."""
    found = re.search(r'<section class="card funding".*?</section>', html, re.S)
    return found.group(0) if found else ""
