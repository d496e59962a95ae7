"""Organisations, matchmaking posts, fee schedule rows and membership applications edited by
two people at once: the second save, over the version both loaded, is refused with the newer
values (``tests/stale.py``)."""

import pytest

from portal import services
from portal.forms import OrganisationForm, PostForm
from portal.membership_forms import DossierForm, FeeScheduleForm

from ..shared import module_world
from ..stale import Case, api_story, build_matrix_world, form_data, page_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]


built_world, world = module_world(build_matrix_world, language="en", site=True)


def _application(world):
    return world["extra"]["submitted:application"]


CASES = [
    Case(
        "organisation",
        "member",
        lambda world: world["organisations"]["member"],
        "city",
        ("Grenoble", "Lyon"),
        api="organisations/{pk}/",
        page="/organisations/{pk}/edit/",
        page_data=lambda organisation: form_data(OrganisationForm(instance=organisation)),
    ),
    Case(
        "post",
        "leader",
        lambda world: world["extra"]["draft:post"],
        "title",
        ("Composites lab wanted", "Composites lab sought"),
        api="posts/{pk}/",
        page="/matchmaking/{pk}/edit/",
        page_data=lambda post: form_data(PostForm(instance=post)),
    ),
    Case(
        "fee schedule row",
        "staff",
        lambda world: world["extra"]["funded:fee_row"],
        "amount",
        ("950.00", "990.00"),
        api="fee-schedules/{pk}/",
        page="/poles/{pole}/fees/rows/{pk}/edit/",
        page_data=lambda row: form_data(FeeScheduleForm(instance=row)),
    ),
    Case(
        "membership application",
        "outsider",
        _application,
        "project_idea",
        ("A demonstrator", "A pilot line"),
        api="applications/{pk}/",
        page="/memberships/applications/{pk}/",
        page_data=lambda a: form_data(DossierForm(instance=a, organisation=a.organisation)),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_stale_page_save_is_refused_with_the_newer_values(client, world, case):
    page_story(client, world, case)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_stale_api_change_is_a_409_with_the_current_values(client, world, case):
    api_story(client, world, case)


def test_a_dossier_opened_before_the_staffs_question_is_not_sent_back_unanswered(client, world):
    application = _application(world)
    data = form_data(DossierForm(instance=application, organisation=application.organisation))
    services.request_information(application, by=world["people"]["staff"], comment="How many?")
    client.force_login(world["people"]["outsider"])
    response = client.post(f"/memberships/applications/{application.pk}/", {**data, "version": 1})
    assert response.status_code == 409
    assert "How many?" in response.content.decode()  # the question, shown now
    application.refresh_from_db()
    assert application.status == application.Status.INFO_REQUESTED
