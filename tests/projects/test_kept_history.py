"""The project page's history section, kept between views (``projects.history.kept_preview``):
each viewer gets what a fresh computation would show them — never another pole's deliberation
notes nor another funder's lines, never a record or a name older than the data."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from funding import services as funding_services
from funding.models import Funder, Programme
from portal import privacy, snapshots
from portal.models import FiguresSnapshot, FiguresVersion, Organisation, Person, Pole
from projects import permissions
from projects import services as project_services
from projects.models import CommitteeSession, Milestone, State, StateChange, Submission
from tests.factories import PersonFactory
from tests.shared import module_world
from tests.world import build_world

pytestmark = pytest.mark.django_db
VIEWERS = ["leader", "member", "staff", "funder", "other-reviewer", "foreign-staff", "superuser"]


def _build():
    world = build_world()
    people, funded = world["people"], world["projects"]["funded"]
    people["other-reviewer"] = get_user_model().objects.get(reviewer_for__name="ANR")
    people["foreign-staff"] = world["poles"]["foreign"].staff.get()
    people["superuser"] = get_user_model().objects.create_superuser("root@x.org", "x")
    # Another funder's line: its reviewer reads its records, not Bpifrance's, and the reverse.
    funding_services.record_funding_line(
        project=funded,
        partner=funded.partners.get(organisation__legal_name="Leader SAS"),
        programme=funding_services.programme_named(
            Funder.objects.get(name="ANR"), "ANR avance", Programme.Instrument.REPAYABLE_ADVANCE
        ),
        amount_requested=Decimal("80000"),
        status="applied",
    )
    # Co-labelling: each pole's deliberation notes for its own staff only.
    foreign = Submission.objects.create(project=funded, pole=world["poles"]["foreign"])
    permissions.sync_project(funded)
    foreign.staff_notes = "Foreign secret"
    foreign.save()
    own = funded.submissions.get(pole=world["poles"]["own"])
    own.staff_notes = "Own note"
    own.session = CommitteeSession.objects.create(
        pole=world["poles"]["own"], name="Comité de mars", date=datetime.date(2026, 3, 12)
    )
    own.save()
    # A contact: the history names the person.
    project_services.add_contact(
        funded.partners.get(organisation__legal_name="Member Lab"),
        PersonFactory(first_name="Nadia", last_name="Nouvelle"),
    )
    return world


built_world, world = module_world(_build)


def _section(html):
    found = re.search(r'<section class="card" aria-labelledby="history">.*?</section>', html, re.S)
    return found.group(0) if found else ""


def _page(world, role):
    client = Client()
    client.force_login(world["people"][role])
    return _section(client.get(f"/projects/{world['projects']['funded'].pk}/").content.decode())


def _kept_and_fresh(world, role):
    kept = _page(world, role)
    FiguresSnapshot.objects.filter(kind="project-history").delete()
    return kept, _page(world, role)


@pytest.mark.parametrize("order", [VIEWERS, VIEWERS[::-1]], ids=["forward", "backward"])
def test_each_viewer_gets_their_own_history(world, order):
    """Everyone views the page in turn, the sections of those before kept: each gets what a
    fresh computation shows them (a key missing what decides it would hand them another's)."""
    sections = {}
    for role in order:
        _page(world, role)  # kept for this role's kind of viewer
    for role in order:
        kept, fresh = _kept_and_fresh(world, role)
        assert kept == fresh, role
        sections[role] = kept
        for other in order:  # the others' kept again, as before
            _page(world, other)
    assert "Own note" in sections["staff"] and "Foreign secret" in sections["foreign-staff"]
    for role in ("leader", "member", "funder", "other-reviewer"):
        assert "Own note" not in sections[role] and "Foreign secret" not in sections[role]
    assert "Foreign secret" not in sections["staff"] and "Own note" not in sections["foreign-staff"]
    assert "ANR avance" in sections["other-reviewer"] and "ANR avance" in sections["leader"]
    assert "ANR avance" not in sections["funder"]
    assert "Nadia Nouvelle" in sections["leader"] and "Comité de mars" in sections["staff"]


def _rename(model, old, new):
    field = "legal_name" if model is Organisation else "name"
    row = model.objects.get(**{field: old})
    setattr(row, field, new)
    row.save()


def _renamed_person(first_name, last_name):
    nadia = Person.objects.get(first_name="Nadia")
    nadia.first_name, nadia.last_name = first_name, last_name
    nadia.save()


def _amend_notes(world):
    own = Submission.objects.get(pole=world["poles"]["own"], project=world["projects"]["funded"])
    own.staff_notes = "Own note, amended"
    own.save()


CHANGES = {
    "a milestone added": lambda w: Milestone.objects.create(
        project=w["projects"]["funded"], title="Prototype", due_date=datetime.date(2027, 6, 30)
    ),
    "a contact added": lambda w: project_services.add_contact(
        w["projects"]["funded"].partners.get(organisation__legal_name="Leader SAS"),
        PersonFactory(first_name="Paul", last_name="Premier"),
    ),
    "a budget changed": lambda w: project_services.change_partner(
        w["projects"]["funded"].partners.get(organisation__legal_name="Member Lab"),
        personnel_costs=Decimal("123456"),
    ),
    "a state change recorded": lambda w: StateChange.objects.create(
        project=w["projects"]["funded"],
        from_state=State.FUNDED,
        to_state=State.FUNDED,
        by=w["people"]["leader"],
        comment="Checked",
    ),
    "a line changed": lambda w: funding_services.change_funding_line(
        w["projects"]["funded"].funding_lines.get(programme__name="ANR avance"),
        conditions="Audit in 2027",
    ),
    "notes amended": _amend_notes,
    "a person renamed": lambda w: _renamed_person("Nadia", "Neuve"),
    "a person erased": lambda w: privacy.erase(Person.objects.get(first_name="Nadia")),
    "an organisation renamed": lambda w: _rename(Organisation, "Member Lab", "Member Labs"),
    "a pole renamed": lambda w: _rename(Pole, "Pôle Foreign", "Pôle Étranger"),
    "a programme renamed": lambda w: _rename(Programme, "ANR avance", "ANR avance 2026"),
    "a committee session renamed": lambda w: _rename(
        CommitteeSession, "Comité de mars", "Comité du printemps"
    ),
    "a committee session deleted": lambda w: CommitteeSession.objects.all().delete(),
}

# What the leader does not read: another pole's notes.
UNSEEN_BY_LEADER = {"notes amended"}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("role", ["leader", "staff", "funder", "foreign-staff"])
def test_a_change_shows_at_once(world, change, role):
    before = _page(world, role)
    CHANGES[change](world)
    kept, fresh = _kept_and_fresh(world, role)
    assert kept == fresh
    if role == "leader" and change not in UNSEEN_BY_LEADER:
        assert kept != before


def test_a_sign_in_or_a_save_without_a_new_name_keeps_the_history(world, client):
    """A sign-in saves the person's last login: nothing the pages keep is made stale by it."""
    leader = world["people"]["leader"]
    _page(world, "leader")
    version = FiguresVersion.objects.get(scope=snapshots.PEOPLE).version
    client.force_login(leader)  # as a sign-in does: ``last_login`` alone is saved
    leader.refresh_from_db()
    leader.save()
    assert FiguresVersion.objects.get(scope=snapshots.PEOPLE).version == version
    _renamed_person("Nadia", "Neuve")
    assert FiguresVersion.objects.get(scope=snapshots.PEOPLE).version == version + 1


def test_those_who_do_not_see_the_confidential_part_get_no_history(world):
    assert _page(world, "expert") == _page(world, "outsider") == ""
    assert not FiguresSnapshot.objects.filter(kind="project-history").exists()
