"""Applying for membership: an organisation's admin sends its dossier (for one of their
organisations or a new one), the pole's staff ask for more, accept or refuse, and the applicant
is told by e-mail and in the portal and sees the state of the application."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal import services
from portal.models import (
    Affiliation,
    Membership,
    MembershipApplication,
    Notification,
    Organisation,
    Person,
)

from ..factories import valid_siren
from ..shared import module_world
from ..world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

DOSSIER = {
    "activities": "Composite parts for rail and aeronautics, 40 engineers.",
    "needs": "Partners for a recycled carbon fibre demonstrator; access to regional funding.",
    "project_idea": "Recycled carbon fibre seat frames for regional trains.",
}


built_world, world = module_world(build_world, language="en", site=True, client_language="en")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a block and send the e-mails its transaction commits."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def _people(world):
    return world["people"]


def _apply(world, organisation="leader", **changes):
    people = _people(world)
    admin = {"leader": people["leader"], "member": people["member"]}[organisation]
    return services.apply_for_membership(
        world["poles"]["own"],
        world["organisations"][organisation],
        by=admin,
        people=[admin],
        **{**DOSSIER, **changes},
    )


def _url(world, suffix=""):
    return f"/poles/{world['poles']['own'].pk}/{suffix}"


# Applying ---------------------------------------------------------------------------------


def test_an_admin_chooses_which_of_their_organisations_applies(client, world):
    client.force_login(_people(world)["leader"])
    html = client.get(_url(world, "apply/")).content.decode()
    leader_org = world["organisations"]["leader"]
    assert f'href="?organisation={leader_org.pk}"' in html
    assert 'href="?organisation=new"' in html
    assert "Member Lab" not in html  # the leader is not its admin


def test_an_admin_applies_for_their_organisation_and_the_staff_are_told(client, world, send):
    people = _people(world)
    client.force_login(people["leader"])
    organisation = world["organisations"]["leader"]
    url = _url(world, f"apply/?organisation={organisation.pk}")
    form = client.get(url)
    assert form.status_code == 200
    response = send(client.post, url, {**DOSSIER, "people": [people["leader"].pk]})
    application = MembershipApplication.objects.get()
    assert response["Location"] == f"/memberships/applications/{application.pk}/"
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert application.submitted_by == people["leader"]
    assert list(application.people.all()) == [people["leader"]]
    membership = Membership.objects.get(organisation=organisation, pole=world["poles"]["own"])
    assert membership.status == Membership.Status.APPLIED
    staff_note = Notification.objects.get(
        recipient=people["staff"], subject__startswith="Membership application"
    )
    assert "Leader SAS" in staff_note.subject
    assert staff_note.url == f"/poles/{world['poles']['own'].pk}/applications/{application.pk}/"
    assert [m.to for m in mail.outbox] == [[people["staff"].email]]


def test_the_applicant_sees_the_state_of_the_application(client, world):
    application = _apply(world)
    client.force_login(_people(world)["leader"])
    html = client.get("/memberships/").content.decode()
    assert f"/memberships/applications/{application.pk}/" in html
    assert "Submitted" in html
    detail = client.get(f"/memberships/applications/{application.pk}/").content.decode()
    assert DOSSIER["needs"] in detail
    assert "reviewing the application" in detail


@pytest.mark.parametrize(
    "changes,fields",
    [
        ({"activities": "", "needs": "", "project_idea": ""}, {"activities", "needs"}),
        ({"activities": "   \n ", "needs": "Partners"}, {"activities"}),
        ({"needs": "\t"}, {"needs"}),
    ],
)
def test_an_empty_dossier_is_refused_with_clear_messages(client, world, changes, fields):
    client.force_login(_people(world)["leader"])
    organisation = world["organisations"]["leader"]
    response = client.post(
        _url(world, f"apply/?organisation={organisation.pk}"), {**DOSSIER, **changes}
    )
    assert response.status_code == 400
    assert set(response.context["dossier"].errors) == fields
    html = response.content.decode()
    if "activities" in fields:
        assert "Describe the activities of your organisation" in html
    if "needs" in fields:
        assert "Say what your organisation expects from the pole" in html
    assert not MembershipApplication.objects.exists()
    assert not Membership.objects.filter(pole=world["poles"]["own"]).exists()


def test_the_service_refuses_an_empty_dossier_too(world):
    with pytest.raises(services.ValidationError) as error:
        _apply(world, activities=" ", needs="")
    assert set(error.value.message_dict) == {"activities", "needs"}


def test_people_attached_must_work_for_the_organisation(world):
    with pytest.raises(services.ValidationError) as error:
        services.apply_for_membership(
            world["poles"]["own"],
            world["organisations"]["leader"],
            by=_people(world)["leader"],
            people=[_people(world)["outsider"]],
            **DOSSIER,
        )
    assert "people" in error.value.message_dict


def test_one_applies_only_for_an_organisation_one_administers(client, world):
    client.force_login(_people(world)["outsider"])
    member_org = world["organisations"]["member"]
    assert client.get(_url(world, f"apply/?organisation={member_org.pk}")).status_code == 404
    response = client.post(_url(world, f"apply/?organisation={member_org.pk}"), DOSSIER)
    assert response.status_code == 404
    assert not MembershipApplication.objects.exists()


def test_a_plain_colleague_cannot_apply_for_the_organisation(client, world):
    colleague = Person.objects.create_user("colleague@world.example", "demo")
    Affiliation.objects.create(person=colleague, organisation=world["organisations"]["leader"])
    client.force_login(colleague)
    url = _url(world, f"apply/?organisation={world['organisations']['leader'].pk}")
    assert client.get(url).status_code == 404


def test_an_organisation_applies_once_while_its_application_is_open(client, world):
    _apply(world)
    with pytest.raises(services.ValidationError, match="awaiting a decision"):
        _apply(world)
    client.force_login(_people(world)["leader"])
    html = client.get(_url(world, "apply/")).content.decode()
    assert "an application awaits the decision" in html


def test_a_member_does_not_apply_again(world):
    Membership.objects.create(
        organisation=world["organisations"]["leader"],
        pole=world["poles"]["own"],
        status=Membership.Status.CURRENT,
    )
    with pytest.raises(services.ValidationError, match="already a member"):
        _apply(world)


def _new_organisation(**changes):
    data = {
        "org-legal_name": "Fibres Recyclées du Forez",
        "org-category": "micro",
        "org-siren": valid_siren(4242),
        "org-country": "FR",
        "org-region": "ARA",
        "org-city": "Saint-Étienne",
        "org-headcount": "6",
        **DOSSIER,
    }
    data.update(changes)
    return data


def test_a_new_organisation_applies_and_its_applicant_becomes_its_admin(client, world):
    outsider = _people(world)["outsider"]
    client.force_login(outsider)
    response = client.post(_url(world, "apply/?organisation=new"), _new_organisation())
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(legal_name="Fibres Recyclées du Forez")
    assert Affiliation.objects.get(organisation=organisation, person=outsider).is_admin
    application = MembershipApplication.objects.get(organisation=organisation)
    assert list(application.people.all()) == [outsider]


def test_someone_without_organisation_applies_with_a_new_one(client, world):
    person = Person.objects.create_user("founder@start.example", "demo")
    client.force_login(person)
    html = client.get(_url(world, "apply/")).content.decode()
    assert 'name="org-legal_name"' in html  # straight to the new organisation's form


def test_a_duplicate_organisation_is_refused_and_nothing_is_half_created(client, world):
    client.force_login(_people(world)["outsider"])
    taken = world["organisations"]["leader"].siren
    response = client.post(
        _url(world, "apply/?organisation=new"), _new_organisation(**{"org-siren": taken})
    )
    assert response.status_code == 400
    assert "An organisation with this SIREN already exists." in response.content.decode()
    assert "Leader SAS" in response.content.decode()  # in the directory: named
    assert not Organisation.objects.filter(legal_name="Fibres Recyclées du Forez").exists()
    assert not MembershipApplication.objects.exists()


def test_a_new_organisation_with_an_empty_dossier_is_not_created(client, world):
    client.force_login(_people(world)["outsider"])
    response = client.post(
        _url(world, "apply/?organisation=new"), _new_organisation(activities="", needs="")
    )
    assert response.status_code == 400
    assert set(response.context["dossier"].errors) == {"activities", "needs"}
    assert not Organisation.objects.filter(legal_name="Fibres Recyclées du Forez").exists()


# The staff's review -------------------------------------------------------------------------


def test_the_staff_queue_lists_their_poles_applications_and_filters_them(client, world):
    first = _apply(world)
    second = _apply(world, "member")
    services.request_information(second, by=_people(world)["staff"], comment="Your headcount?")
    foreign = services.apply_for_membership(
        world["poles"]["foreign"],
        world["organisations"]["leader"],
        by=_people(world)["leader"],
        **DOSSIER,
    )
    client.force_login(_people(world)["staff"])
    html = client.get(_url(world, "applications/")).content.decode()
    assert f"/applications/{first.pk}/" in html and f"/applications/{second.pk}/" in html
    assert f"/applications/{foreign.pk}/" not in html
    fragment = client.get(
        _url(world, "applications/"), {"status": "info_requested"}, headers={"HX-Request": "true"}
    )
    body = fragment.content.decode()
    assert "<html" not in body
    assert "Member Lab" in body and "Leader SAS" not in body


def test_the_staff_see_the_dossier_and_the_fee_it_would_pay(client, world):
    from portal.models import FeeSchedule

    application = _apply(world)
    leader_org = world["organisations"]["leader"]
    leader_org.headcount = 42
    leader_org.save()
    FeeSchedule.objects.create(
        pole=world["poles"]["own"],
        year=timezone.localdate().year,
        category="sme",
        min_headcount=10,
        max_headcount=49,
        amount="900.00",
    )
    client.force_login(_people(world)["staff"])
    html = client.get(_url(world, f"applications/{application.pk}/")).content.decode()
    assert DOSSIER["activities"] in html
    assert "€900.00" in html


def test_the_staff_of_another_pole_do_not_see_the_application(client, world):
    application = _apply(world)
    client.force_login(Person.objects.get(email="other-staff@world.example"))
    url = f"/poles/{world['poles']['foreign'].pk}/applications/{application.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(_url(world, f"applications/{application.pk}/")).status_code == 404


def test_staff_ask_for_more_and_the_applicant_completes_the_dossier(client, world, send):
    people = _people(world)
    application = _apply(world)
    client.force_login(people["staff"])
    response = send(
        client.post,
        _url(world, f"applications/{application.pk}/request-info/"),
        {"info-comment": "How many engineers work on composites?"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.INFO_REQUESTED
    assert Notification.objects.filter(
        recipient=people["leader"], subject__contains="more information"
    ).exists()
    assert "How many engineers" in mail.outbox[-1].body

    client.force_login(people["leader"])
    page = client.get(f"/memberships/applications/{application.pk}/").content.decode()
    assert "How many engineers work on composites?" in page
    response = send(
        client.post,
        f"/memberships/applications/{application.pk}/",
        {
            **DOSSIER,
            "activities": "Composites: 12 engineers.",
            "people": [people["leader"].pk],
            "version": "2",  # the staff's question moved it on
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert application.activities == "Composites: 12 engineers."
    assert Notification.objects.filter(
        recipient=people["staff"], subject__contains="completed"
    ).exists()


def test_asking_for_more_needs_a_question(client, world):
    application = _apply(world)
    client.force_login(_people(world)["staff"])
    response = client.post(
        _url(world, f"applications/{application.pk}/request-info/"), {"info-comment": " "}
    )
    assert response.status_code == 400
    assert "Say what information you need" in response.content.decode()
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED


def test_accepting_makes_a_new_member_until_the_end_of_the_year(client, world, send):
    people = _people(world)
    colleague = Person.objects.create_user("colleague@world.example", "demo")
    organisation = world["organisations"]["leader"]
    Affiliation.objects.create(person=colleague, organisation=organisation)
    application = services.apply_for_membership(
        world["poles"]["own"],
        organisation,
        by=people["leader"],
        people=[people["leader"], colleague],
        **DOSSIER,
    )
    client.force_login(people["staff"])
    response = send(
        client.post,
        _url(world, f"applications/{application.pk}/accept/"),
        {"accept-comment": "Welcome to the pole!"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.ACCEPTED
    assert application.decided_by == people["staff"]
    membership = Membership.objects.get(organisation=organisation, pole=world["poles"]["own"])
    today = timezone.localdate()
    assert membership.status == Membership.Status.NEW
    assert membership.start_date == today
    assert membership.end_date == datetime.date(today.year, 12, 31)
    told = {n.recipient for n in Notification.objects.filter(subject__contains="now a member")}
    assert told == {people["leader"], colleague}
    assert "Welcome to the pole!" in mail.outbox[-1].body

    client.force_login(people["leader"])
    html = client.get("/memberships/").content.decode()
    assert "membership-new" in html


def test_accepting_attaches_the_people_to_the_organisation(world):
    people = _people(world)
    application = _apply(world)
    stranger = Person.objects.create_user("new.hire@world.example", "demo")
    application.people.add(stranger)  # added before they were affiliated
    services.accept_application(application, by=people["staff"])
    assert Affiliation.objects.filter(
        person=stranger, organisation=world["organisations"]["leader"], is_admin=False
    ).exists()


def test_refusing_needs_a_reason_the_applicant_reads(client, world, send):
    people = _people(world)
    application = _apply(world)
    client.force_login(people["staff"])
    url = _url(world, f"applications/{application.pk}/reject/")
    response = client.post(url, {"reject-reason": ""})
    assert response.status_code == 400
    assert "Give the reason for the refusal" in response.content.decode()
    response = send(client.post, url, {"reject-reason": "Your activity is outside our themes."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.REJECTED
    membership = Membership.objects.get(organisation=application.organisation_id)
    assert membership.status == Membership.Status.REJECTED
    assert "outside our themes" in mail.outbox[-1].body

    client.force_login(people["leader"])
    html = client.get(f"/memberships/applications/{application.pk}/").content.decode()
    assert "Your activity is outside our themes." in html
    assert "Change the dossier" not in html  # decided: the dossier no longer changes


def test_a_decided_application_is_not_decided_again_nor_changed(client, world):
    people = _people(world)
    application = _apply(world)
    services.accept_application(application, by=people["staff"])
    with pytest.raises(services.ValidationError, match="already decided"):
        services.reject_application(application, by=people["staff"], reason="Too late")
    client.force_login(people["staff"])
    response = client.post(
        _url(world, f"applications/{application.pk}/reject/"), {"reject-reason": "Too late"}
    )
    assert response.status_code == 400
    assert "already decided" in response.content.decode()
    client.force_login(people["leader"])
    response = client.post(f"/memberships/applications/{application.pk}/", DOSSIER)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.activities == DOSSIER["activities"]


def test_a_lapsed_member_applies_again_and_is_welcomed_back(world):
    Membership.objects.create(
        organisation=world["organisations"]["leader"],
        pole=world["poles"]["own"],
        status=Membership.Status.EXPIRED,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    application = _apply(world)
    membership = Membership.objects.get(organisation=world["organisations"]["leader"])
    assert membership.status == Membership.Status.EXPIRED  # until the decision
    services.accept_application(application, by=_people(world)["staff"])
    membership.refresh_from_db()
    assert membership.status == Membership.Status.NEW


# The API ----------------------------------------------------------------------------------


def test_api_an_admin_applies_and_the_staff_decide(client, world):
    people = _people(world)
    client.force_login(people["leader"])
    body = {
        "organisation": world["organisations"]["leader"].pk,
        "pole": world["poles"]["own"].pk,
        **DOSSIER,
        "people": [people["leader"].pk],
    }
    response = client.post("/api/v1/applications/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "submitted"
    assert [a["id"] for a in client.get("/api/v1/applications/").json()["results"]] == [pk]

    client.force_login(people["staff"])
    response = client.post(
        f"/api/v1/applications/{pk}/request-info/",
        {"comment": ""},
        content_type="application/json",
    )
    assert response.status_code == 400 and "comment" in response.json()
    response = client.post(
        f"/api/v1/applications/{pk}/accept/",
        {"comment": "Welcome"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    client.force_login(people["leader"])
    memberships = client.get("/api/v1/memberships/").json()["results"]
    assert [(m["pole"], m["status"]) for m in memberships] == [(world["poles"]["own"].pk, "new")]


def test_api_a_malformed_id_is_a_404_not_a_500(client, world):
    """Found by tests/api/test_schemathesis.py: the actions looked the id up as given."""
    client.force_login(_people(world)["staff"])
    for url, body in [
        ("/api/v1/applications/abc/reject/", {"reason": "No"}),
        ("/api/v1/memberships/abc/status/", {"status": None}),
    ]:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 404 and "detail" in response.json(), url


def test_api_an_empty_dossier_answers_400_with_field_errors(client, world):
    client.force_login(_people(world)["leader"])
    body = {
        "organisation": world["organisations"]["leader"].pk,
        "pole": world["poles"]["own"].pk,
        "activities": " ",
    }
    response = client.post("/api/v1/applications/", body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"activities", "needs"}
    assert "Describe the activities" in errors["activities"][0]


def test_api_one_applies_only_for_an_organisation_one_administers(client, world):
    client.force_login(_people(world)["outsider"])
    body = {
        "organisation": world["organisations"]["leader"].pk,
        "pole": world["poles"]["own"].pk,
        **DOSSIER,
    }
    response = client.post("/api/v1/applications/", body, content_type="application/json")
    assert response.status_code == 400
    assert "organisation" in response.json()


def test_api_decisions_are_for_the_poles_staff_only(client, world):
    application = _apply(world)
    for role in ["leader", "member", "outsider", "funder"]:
        client.force_login(_people(world)[role])
        response = client.post(
            f"/api/v1/applications/{application.pk}/accept/", {}, content_type="application/json"
        )
        assert response.status_code == 404, role
    client.force_login(_people(world)["staff"])
    response = client.patch(
        f"/api/v1/applications/{application.pk}/",
        {"activities": "Staff edit"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_api_the_applicant_completes_the_dossier(client, world):
    application = _apply(world)
    services.request_information(application, by=_people(world)["staff"], comment="More?")
    client.force_login(_people(world)["leader"])
    response = client.patch(
        f"/api/v1/applications/{application.pk}/",
        {"project_idea": "A demonstrator"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["project_idea"] == "A demonstrator"


def test_a_refused_organisation_may_apply_again(world):
    people = _people(world)
    services.reject_application(_apply(world), by=people["staff"], reason="Too early.")
    again = _apply(world)
    membership = Membership.objects.get(organisation=world["organisations"]["leader"])
    assert membership.status == Membership.Status.APPLIED
    assert again.status == MembershipApplication.Status.SUBMITTED


def test_api_names_no_stranger_among_the_people(client, world):
    client.force_login(_people(world)["leader"])
    body = {
        "organisation": world["organisations"]["leader"].pk,
        "pole": world["poles"]["own"].pk,
        **DOSSIER,
        "people": [_people(world)["funder"].pk],
    }
    response = client.post("/api/v1/applications/", body, content_type="application/json")
    assert response.status_code == 400
    assert "Funder" not in str(response.json())  # an unknown person, not a name
