"""The audit trail: every create, change and delete of money, states and roles, with who,
when, from which address, before and after; read by the platform's administrators (all) and
a pole's staff (their pole's and its projects'), exportable, and changed by nobody."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings

from audit.models import AuditEntry
from funding.models import Disbursement, Funder, FundingLine
from funding.services import (
    add_reviewer,
    change_disbursement,
    delete_disbursement,
    record_disbursement,
)
from portal import privacy
from portal.models import Membership, Organisation, PoleStaff
from portal.services import add_pole_staff, remove_pole_staff, update_membership_statuses
from projects.models import Partner
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SubmissionFactory,
)
from tests.world import build_world
from tokens.services import create_token, revoke_token

from ..shared import module_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PAID = datetime.date(2026, 3, 1)


built_world, world = module_world(build_world, language="en", client_language="en")


def entries_of(instance):
    return AuditEntry.objects.filter(
        content_type__model=type(instance)._meta.model_name, object_id=instance.pk
    ).order_by("pk")


def changed(entry):
    return {change["field"]: (change["before"], change["after"]) for change in entry.changes}


def outsider_org():
    return Organisation.objects.get(legal_name="Outsider SARL")  # in the directory


def line_of(world):
    return world["projects"]["funded"].funding_lines.get()


# --- What is recorded ----------------------------------------------------------------------


def test_a_change_made_on_a_page_records_who_from_where_and_the_values(client, world):
    leader = world["people"]["leader"]
    project = world["projects"]["draft"]
    client.force_login(leader)
    response = client.post(
        f"/projects/{project.pk}/partners/",
        {
            "organisation": outsider_org().pk,
            "role": "associated",
            "personnel_costs": "1000",
        },
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    partner = project.partners.get(organisation=outsider_org())
    entry = entries_of(partner).get()
    assert (entry.who, entry.address, entry.action) == (leader, "203.0.113.7", "created")
    assert entry.project_id == project.pk
    assert changed(entry)["personnel_costs"] == (None, "1000.00")
    assert changed(entry)["role"] == (None, "associated")


@override_settings(CLIENT_ADDRESS_HEADER="X-Forwarded-For")
def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, world):
    project = world["projects"]["draft"]
    client.force_login(world["people"]["leader"])
    client.post(
        f"/projects/{project.pk}/partners/",
        {"organisation": outsider_org().pk, "role": "associated"},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4",
        REMOTE_ADDR="10.0.0.1",
    )
    partner = project.partners.get(organisation=outsider_org())
    assert entries_of(partner).get().address == "198.51.100.4"


def test_money_created_changed_and_deleted_keeps_before_and_after(world):
    staff = world["people"]["staff"]
    line = line_of(world)
    tranche = record_disbursement(
        line, by=staff, kind="interim", amount=Decimal("10000.00"), scheduled_date=PAID
    )
    change_disbursement(tranche, by=staff, amount=Decimal("12000.00"), paid_date=PAID)
    pk = tranche.pk
    delete_disbursement(tranche, by=staff)
    created, change, deleted = AuditEntry.objects.filter(
        content_type__model="disbursement", object_id=pk
    ).order_by("pk")
    assert [e.action for e in (created, change, deleted)] == ["created", "changed", "deleted"]
    assert {e.project_id for e in (created, change, deleted)} == {line.project_id}
    assert changed(change) == {
        "amount": ("10000.00", "12000.00"),
        "paid_date": (None, "2026-03-01"),
    }
    assert changed(deleted)["amount"] == ("12000.00", None)
    assert not Disbursement.objects.filter(pk=pk).exists()


def test_a_save_that_changes_nothing_records_nothing(world):
    partner = Partner.objects.filter(project=world["projects"]["funded"]).first()
    before = AuditEntry.objects.count()
    partner.save()
    assert AuditEntry.objects.count() == before


def test_a_change_rolled_back_leaves_no_entry(world):
    line = line_of(world)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError), transaction.atomic():
        record_disbursement(line, kind="interim", amount=Decimal("10.00"), scheduled_date=PAID)
        raise ValidationError("refused later in the same change")
    assert AuditEntry.objects.count() == before


def test_roles_are_recorded_staff_reviewers_admin_flags_and_tokens(world):
    pole = world["poles"]["own"]
    newcomer = PersonFactory()
    add_pole_staff(pole, newcomer)
    staff_row = PoleStaff.objects.get(pole=pole, person=newcomer)
    remove_pole_staff(pole, newcomer)
    assert [e.action for e in entries_of(staff_row)] == ["created", "deleted"]
    assert {e.pole_id for e in entries_of(staff_row)} == {pole.pk}

    funder = Funder.objects.get(name="Bpifrance")
    add_reviewer(funder, newcomer)
    funder.reviewers.remove(newcomer)
    *_, added, removed = entries_of(funder).filter(action="changed")
    assert changed(added) == {"reviewers": ([], [newcomer.pk])}
    assert changed(removed) == {"reviewers": ([newcomer.pk], [])}

    newcomer.is_superuser = True
    newcomer.save()
    newcomer.last_login = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    newcomer.save(update_fields=["last_login"])  # not a right: not recorded
    (flag,) = entries_of(newcomer).filter(action="changed")
    assert changed(flag) == {"is_superuser": (False, True)}

    token, _key = create_token(newcomer, name="Script")
    revoke_token(token)
    created, revoked = entries_of(token)
    assert "key_hash" not in changed(created) and "prefix" in changed(created)
    assert changed(revoked)["revoked_at"][0] is None


def test_the_daily_membership_job_records_the_statuses_it_moves(world):
    membership = MembershipFactory(
        pole=world["poles"]["own"],
        status=Membership.Status.CURRENT,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    update_membership_statuses(today=datetime.date(2026, 6, 1))
    entry = entries_of(membership).get(action="changed")
    assert changed(entry) == {"status": ("current", "expired")}
    assert entry.who is None and entry.pole_id == world["poles"]["own"].pk


# --- Who reads it --------------------------------------------------------------------------


def test_pole_staff_read_their_pole_and_its_projects_and_nothing_else(client, world):
    client.force_login(world["people"]["staff"])
    response = client.get("/audit/")
    assert response.status_code == 200
    shown = {e.entry.pk for e in response.context["page"].object_list}
    own_projects = {world["projects"][k].pk for k in ("submitted", "funded")}
    own = AuditEntry.objects.filter(project_id__in=own_projects, pole_id__isnull=True)
    assert set(own.values_list("pk", flat=True)[:50]) & shown
    visible = response.context["page"].paginator.object_list
    foreign = [world["projects"][k].pk for k in ("draft", "foreign_draft", "foreign_labelled")]
    assert not visible.filter(project_id__in=foreign).exists()
    assert not visible.filter(pole_id=world["poles"]["foreign"].pk).exists()
    assert not visible.filter(content_type__model__in=["person", "apitoken", "affiliation"])


def test_another_poles_records_of_a_co_labelled_project_stay_that_poles(client, world):
    funded = world["projects"]["funded"]
    submission = SubmissionFactory(project=funded, pole=world["poles"]["foreign"])
    submission.staff_notes = "Our own deliberation"
    submission.save()
    client.force_login(world["people"]["staff"])
    visible = client.get("/audit/").context["page"].paginator.object_list
    assert visible.filter(project_id=funded.pk).exists()
    assert not visible.filter(content_type__model="submission", object_id=submission.pk)


@pytest.mark.parametrize("role", ["leader", "member", "funder", "expert", "outsider"])
def test_for_everyone_else_the_trail_does_not_exist(client, world, role):
    client.force_login(world["people"][role])
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export.csv").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get("/audit/")["Location"].startswith("/accounts/login/")


def test_administrators_read_everything(client, world):
    admin_person = PersonFactory(is_superuser=True, is_staff=True)
    create_token(world["people"]["leader"], name="Script")
    client.force_login(admin_person)
    visible = client.get("/audit/").context["page"].paginator.object_list
    assert visible.count() == AuditEntry.objects.count()
    assert visible.filter(content_type__model="apitoken").exists()


# --- Reading and exporting -----------------------------------------------------------------


def test_the_page_writes_values_the_readers_way_and_filters_by_object(client, world):
    line = line_of(world)
    staff = world["people"]["staff"]
    tranche = record_disbursement(
        line, by=staff, kind="interim", amount=Decimal("12345.60"), scheduled_date=PAID
    )
    client.force_login(staff)
    ct = AuditEntry.objects.filter(object_id=tranche.pk, content_type__model="disbursement")
    ct = ct.get().content_type_id
    response = client.get(f"/audit/?kind={ct}&object={tranche.pk}")
    page = response.content.decode()
    assert response.context["page"].paginator.count == 1
    assert "€12,345.60" in page and "interim payment" in page
    assert "the platform" not in page and str(staff) in page
    (item,) = response.context["page"].object_list
    line_change = next(c for c in item.changes if c.label == "Line")
    assert line_change.after == str(FundingLine.objects.get(pk=line.pk))


def test_a_bad_filter_is_explained_not_a_500(client, world):
    client.force_login(world["people"]["staff"])
    response = client.get("/audit/?since=yesterday&object=-3")
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_the_export_has_a_row_per_field_changed(client, world):
    staff = world["people"]["staff"]
    tranche = record_disbursement(
        line_of(world), by=staff, kind="interim", amount=Decimal("1000.00"), scheduled_date=PAID
    )
    change_disbursement(tranche, by=staff, amount=Decimal("2000.00"))
    client.force_login(staff)
    ct = AuditEntry.objects.filter(content_type__model="disbursement").first().content_type_id
    response = client.get(f"/audit/export.csv?kind={ct}&object={tranche.pk}&action=changed")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][:4] == ["When", "Who", "From address", "Action"]
    assert rows[1][8:] == ["Amount (€)", "€1,000.00", "€2,000.00"]
    response = client.get(f"/audit/export.xlsx?kind={ct}&object={tranche.pk}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    recorded = AuditEntry.objects.filter(content_type_id=ct, object_id=tranche.pk)
    assert sheet.max_row == 1 + sum(len(entry.changes) for entry in recorded)


def test_nobody_changes_the_trail_from_the_portal(client, world):
    assert AuditEntry not in admin.site._registry
    assert not any(model.__name__.startswith("Historical") for model in admin.site._registry)
    assert not AuditEntry._meta.default_permissions
    admin_person = PersonFactory(is_superuser=True, is_staff=True)
    client.force_login(admin_person)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/audit/").status_code == 405


# --- Personal data -------------------------------------------------------------------------


def test_erasure_keeps_the_changes_but_not_the_address_nor_the_name(client, world):
    person = PersonFactory(first_name="Ada", last_name="Lovelace")
    organisation = OrganisationFactory()
    from portal.models import Affiliation

    affiliation = Affiliation.objects.create(person=person, organisation=organisation)
    entry = entries_of(affiliation).get()
    AuditEntry.objects.filter(pk=entry.pk).update(who=person, address="192.0.2.1")
    privacy.erase(person)
    entry.refresh_from_db()
    assert entry.who == person and entry.address is None
    assert "Lovelace" not in entry.object_repr
    assert AuditEntry.objects.filter(object_id=affiliation.pk, action="deleted").exists()


def test_addresses_are_kept_for_the_retention_period(world):
    old = AuditEntry.objects.first()
    AuditEntry.objects.filter(pk=old.pk).update(
        address="192.0.2.9", at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert privacy.apply_retention()["audit_addresses"] == 1
    old.refresh_from_db()
    assert old.address is None and old.changes  # the change itself stays


def test_changes_made_in_bulk_by_a_service_are_recorded_too(world):
    """Abandoning a submitted project withdraws its pending submissions and ends its experts'
    assignments in one UPDATE each: the trail has a row for each, with the value before."""
    from projects import services
    from projects.models import ExpertAssignment, State

    project = world["projects"]["submitted"]
    submission = project.submissions.get()
    assignment = ExpertAssignment.objects.get(project=project)
    services.change_state(project, State.ABANDONED, by=world["people"]["leader"])
    withdrawn = entries_of(submission).get(action="changed")
    assert changed(withdrawn) == {"decision": ("pending", "withdrawn")}
    assert withdrawn.who == world["people"]["leader"]
    closed = entries_of(assignment).get(action="changed")
    assert closed.changes[0]["field"] == "closed_at" and closed.changes[0]["before"] is None
