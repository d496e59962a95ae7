"""A project's lifecycle: which moves the model allows, and what the services do on each."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import permissions, services
from projects.models import (
    TRANSITIONS,
    ExpertAssignment,
    Project,
    State,
    StateChange,
    Submission,
)
from tests.factories import PersonFactory, PoleFactory, pole_staff, project_with_consortium

pytestmark = pytest.mark.usefixtures("english")

# The lifecycle of DESIGN.md, written out independently of projects.models.TRANSITIONS:
# draft → submitted → labelled or rejected → funding sought → funded or not funded → running
# → completed → closed, with withdrawal (submitted → draft), rework after a rejection
# (rejected → draft), a new attempt at funding (not funded → funding sought), and abandoned
# reachable from every open state.
OPEN = ["draft", "submitted", "labelled", "rejected", "funding_sought", "funded", "not_funded"]
OPEN += ["running"]
EXPECTED = {
    ("draft", "submitted"),
    ("submitted", "draft"),
    ("submitted", "labelled"),
    ("submitted", "rejected"),
    ("labelled", "funding_sought"),
    ("rejected", "draft"),
    ("funding_sought", "funded"),
    ("funding_sought", "not_funded"),
    ("not_funded", "funding_sought"),
    ("funded", "running"),
    ("running", "completed"),
    ("completed", "closed"),
} | {(state, "abandoned") for state in OPEN}
ALL_PAIRS = list(itertools.product(State.values, State.values))


def test_the_transition_table_is_the_designed_lifecycle():
    declared = {(str(a), str(b)) for a, targets in TRANSITIONS.items() for b in targets}
    assert declared == EXPECTED


@pytest.mark.parametrize(("source", "target"), sorted(EXPECTED))
def test_allowed_transition(source, target):
    Project(state=source).check_transition(target)


@pytest.mark.parametrize(("source", "target"), [pair for pair in ALL_PAIRS if pair not in EXPECTED])
def test_forbidden_transition(source, target):
    with pytest.raises(ValidationError) as caught:
        Project(state=source).check_transition(target)
    assert list(caught.value.message_dict) == ["state"]


@pytest.mark.parametrize("target", ["labeled", "", "DRAFT", "open"])
def test_an_unknown_state_is_refused(target):
    with pytest.raises(ValidationError) as caught:
        Project(state=State.DRAFT).check_transition(target)
    assert list(caught.value.message_dict) == ["state"]
    assert "is not a project state" in caught.value.message_dict["state"][0]


def test_allowed_transitions_lists_the_targets_in_lifecycle_order():
    assert Project(state=State.SUBMITTED).allowed_transitions() == [
        State.DRAFT,
        State.LABELLED,
        State.REJECTED,
        State.ABANDONED,
    ]
    assert Project(state=State.CLOSED).allowed_transitions() == []


# --- through the services --------------------------------------------------------------------


def history(project):
    return list(
        StateChange.objects.filter(project=project).values_list("from_state", "to_state", "by")
    )


def submission(project, pole):
    return Submission.objects.get(project=project, pole=pole)


@pytest.fixture
def leader():
    return PersonFactory()


@pytest.fixture
def draft(leader):
    return project_with_consortium(leader=leader)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "target", "message"),
    [
        (State.SUBMITTED, State.LABELLED, "Labelling is decided by the poles' committees."),
        (State.SUBMITTED, State.REJECTED, "Labelling is decided by the poles' committees."),
        (State.DRAFT, State.SUBMITTED, "Choose the poles to submit the project to."),
    ],
)
def test_change_state_leaves_labelling_and_submission_to_their_services(
    leader, state, target, message
):
    project = project_with_consortium(leader=leader, state=state)
    with pytest.raises(ValidationError) as caught:
        services.change_state(project, target, by=leader)
    assert caught.value.message_dict == {"state": [message]}
    assert Project.objects.get(pk=project.pk).state == state
    assert not StateChange.objects.filter(project=project, to_state=target).exists()


@pytest.mark.django_db
def test_change_state_refuses_a_move_outside_the_lifecycle(leader, draft):
    with pytest.raises(ValidationError) as caught:
        services.change_state(draft, State.RUNNING, by=leader)
    assert list(caught.value.message_dict) == ["state"]
    assert Project.objects.get(pk=draft.pk).state == State.DRAFT
    assert history(draft) == []


@pytest.mark.django_db
def test_change_state_records_who_moved_the_project(leader):
    project = project_with_consortium(leader=leader, state=State.LABELLED)
    staff = Submission.objects.get(project=project).pole.staff.get()
    services.change_state(project, State.FUNDING_SOUGHT, by=leader, comment="Applying to i-Nov")
    assert project.state == State.FUNDING_SOUGHT
    assert Project.objects.get(pk=project.pk).state == State.FUNDING_SOUGHT
    assert history(project) == [
        ("draft", "submitted", leader.pk),
        ("submitted", "labelled", staff.pk),
        ("labelled", "funding_sought", leader.pk),
    ]
    assert StateChange.objects.filter(project=project).last().comment == "Applying to i-Nov"


@pytest.mark.django_db
@pytest.mark.parametrize("state", OPEN)
def test_every_open_state_may_be_abandoned(leader, state):
    project = project_with_consortium(leader=leader, state=state)
    assert project.state == state
    services.change_state(project, State.ABANDONED, by=leader)
    assert Project.objects.get(pk=project.pk).state == State.ABANDONED


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.COMPLETED, State.CLOSED, State.ABANDONED])
def test_finished_projects_cannot_be_abandoned_or_reopened(leader, state):
    project = project_with_consortium(leader=leader, state=state)
    for target in (State.DRAFT, State.RUNNING, State.ABANDONED):
        with pytest.raises(ValidationError):
            services.change_state(project, target, by=leader)
    assert Project.objects.get(pk=project.pk).state == state


# --- submission ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_creates_one_pending_submission_per_pole(leader, draft):
    north, south = PoleFactory(), PoleFactory()
    services.submit_project(draft, [north, south], by=leader)
    assert draft.state == State.SUBMITTED
    assert Project.objects.get(pk=draft.pk).state == State.SUBMITTED
    assert sorted(
        Submission.objects.filter(project=draft).values_list("pole", "decision", "decided_on")
    ) == sorted([(north.pk, "pending", None), (south.pk, "pending", None)])
    assert history(draft) == [("draft", "submitted", leader.pk)]


@pytest.mark.django_db
def test_submit_needs_a_pole(leader, draft):
    with pytest.raises(ValidationError) as caught:
        services.submit_project(draft, [], by=leader)
    assert "poles" in caught.value.message_dict
    assert Project.objects.get(pk=draft.pk).state == State.DRAFT


@pytest.mark.django_db
def test_only_a_draft_is_submitted(leader):
    project = project_with_consortium(leader=leader, state=State.LABELLED)
    with pytest.raises(ValidationError):
        services.submit_project(project, [PoleFactory()], by=leader)
    assert Submission.objects.filter(project=project).count() == 1


@pytest.mark.django_db
def test_withdrawing_marks_pending_submissions_withdrawn_and_ends_staff_access(leader):
    pole = PoleFactory()
    staff = pole_staff(pole)
    project = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    assert permissions.may_label(staff, Project.objects.get(pk=project.pk))

    services.change_state(project, State.DRAFT, by=leader)

    assert Project.objects.get(pk=project.pk).state == State.DRAFT
    assert submission(project, pole).decision == Submission.Decision.WITHDRAWN
    fresh = Project.objects.get(pk=project.pk)
    assert not permissions.may_view_confidential(staff, fresh)
    assert not permissions.may_label(staff, fresh)
    assert fresh not in permissions.visible_projects(staff)
    assert history(project)[-1] == ("submitted", "draft", leader.pk)


@pytest.mark.django_db
def test_withdrawing_keeps_the_decision_of_a_pole_that_already_decided(leader):
    north, south = PoleFactory(), PoleFactory()
    staff = pole_staff(north)
    project = project_with_consortium(leader=leader)
    services.submit_project(project, [north, south], by=leader)
    services.record_decision(submission(project, north), Submission.Decision.REJECTED, by=staff)
    services.change_state(project, State.DRAFT, by=leader)
    assert submission(project, north).decision == Submission.Decision.REJECTED
    assert submission(project, south).decision == Submission.Decision.WITHDRAWN


@pytest.mark.django_db
def test_a_resubmission_reopens_the_withdrawn_submission(leader):
    pole = PoleFactory()
    staff = pole_staff(pole)
    project = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    services.change_state(project, State.DRAFT, by=leader)
    services.submit_project(project, [pole], by=leader)
    assert submission(project, pole).decision == Submission.Decision.PENDING
    assert Submission.objects.filter(project=project).count() == 1
    assert permissions.may_label(staff, Project.objects.get(pk=project.pk))


@pytest.mark.django_db
def test_withdrawing_ends_the_experts_access(leader):
    pole = PoleFactory()
    project = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    expert = PersonFactory()
    services.assign_expert(project, pole, expert)
    services.change_state(project, State.DRAFT, by=leader)
    fresh = Project.objects.get(pk=project.pk)
    assert not permissions.may_view_confidential(expert, fresh)
    assert not permissions.may_give_opinion(expert, fresh)


# --- labelling decisions ---------------------------------------------------------------------


@pytest.fixture
def two_poles(leader):
    """A draft submitted to two poles, each with one staff member."""
    north, south = PoleFactory(), PoleFactory()
    staff = {north: pole_staff(north), south: pole_staff(south)}
    project = project_with_consortium(leader=leader)
    services.submit_project(project, [north, south], by=leader)
    return project, north, south, staff


def decide(project, pole, decision, staff, **fields):
    return services.record_decision(submission(project, pole), decision, by=staff[pole], **fields)


@pytest.mark.django_db
def test_the_first_label_labels_the_project(leader):
    pole = PoleFactory()
    staff = pole_staff(pole)
    project = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    assert project.labelled_on is None and not project.is_public

    services.record_decision(
        submission(project, pole),
        Submission.Decision.LABELLED,
        by=staff,
        decided_on=datetime.date(2025, 3, 14),
        committee="Comité du 14 mars",
        opinion="Excellent consortium.",
        conditions="Add an end user.",
    )

    project.refresh_from_db()
    assert (project.state, project.labelled_on) == (State.LABELLED, datetime.date(2025, 3, 14))
    assert project.is_public
    decided = submission(project, pole)
    assert (decided.decision, decided.decided_on, decided.committee, decided.conditions) == (
        "labelled",
        datetime.date(2025, 3, 14),
        "Comité du 14 mars",
        "Add an end user.",
    )
    assert history(project)[-1] == ("submitted", "labelled", staff.pk)


@pytest.mark.django_db
def test_a_decision_without_date_is_dated_today(leader):
    project = project_with_consortium(leader=leader, state=State.LABELLED)
    assert project.labelled_on == timezone.localdate()
    assert Submission.objects.get(project=project).decided_on == timezone.localdate()


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["label first", "reject first"])
def test_one_label_is_enough_when_another_pole_rejects(two_poles, order):
    project, north, south, staff = two_poles
    decisions = [(north, Submission.Decision.LABELLED), (south, Submission.Decision.REJECTED)]
    if order == "reject first":
        decisions.reverse()
    for pole, decision in decisions:
        decide(project, pole, decision, staff)
    project.refresh_from_db()
    assert project.state == State.LABELLED
    assert project.labelled_on is not None


@pytest.mark.django_db
def test_a_project_is_rejected_once_every_pole_rejected_it(two_poles):
    project, north, south, staff = two_poles
    decide(project, north, Submission.Decision.REJECTED, staff)
    project.refresh_from_db()
    assert project.state == State.SUBMITTED

    decide(project, south, Submission.Decision.REJECTED, staff)
    project.refresh_from_db()
    assert (project.state, project.labelled_on) == (State.REJECTED, None)
    assert history(project)[-1] == ("submitted", "rejected", staff[south].pk)


@pytest.mark.django_db
def test_the_second_label_keeps_the_first_date(two_poles):
    project, north, south, staff = two_poles
    decide(project, north, "labelled", staff, decided_on=datetime.date(2025, 3, 1))
    decide(project, south, "labelled", staff, decided_on=datetime.date(2025, 4, 1))
    project.refresh_from_db()
    assert (project.state, project.labelled_on) == (State.LABELLED, datetime.date(2025, 3, 1))
    assert StateChange.objects.filter(project=project, to_state=State.LABELLED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("second", [Submission.Decision.LABELLED, Submission.Decision.REJECTED])
def test_a_pole_decides_only_once(two_poles, second):
    project, north, _south, staff = two_poles
    decide(project, north, Submission.Decision.REJECTED, staff, opinion="Too early.")
    with pytest.raises(ValidationError) as caught:
        decide(project, north, second, staff)
    assert "decision" in caught.value.message_dict
    assert (submission(project, north).decision, submission(project, north).opinion) == (
        "rejected",
        "Too early.",
    )
    assert Project.objects.get(pk=project.pk).state == State.SUBMITTED


@pytest.mark.django_db
def test_a_pole_decides_only_once_even_from_a_stale_copy(two_poles):
    project, north, _south, staff = two_poles
    first, second = submission(project, north), submission(project, north)
    services.record_decision(first, Submission.Decision.LABELLED, by=staff[north])
    with pytest.raises(ValidationError):
        services.record_decision(second, Submission.Decision.REJECTED, by=staff[north])
    assert submission(project, north).decision == Submission.Decision.LABELLED


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["pending", "withdrawn", "maybe"])
def test_a_decision_labels_or_rejects(two_poles, decision):
    project, north, _south, staff = two_poles
    with pytest.raises(ValidationError) as caught:
        decide(project, north, decision, staff)
    assert "decision" in caught.value.message_dict
    assert submission(project, north).decision == Submission.Decision.PENDING


@pytest.mark.django_db
def test_a_withdrawn_submission_cannot_be_decided(leader):
    pole = PoleFactory()
    staff = pole_staff(pole)
    project = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    services.change_state(project, State.DRAFT, by=leader)
    with pytest.raises(ValidationError):
        services.record_decision(submission(project, pole), "labelled", by=staff)
    project.refresh_from_db()
    assert (project.state, project.labelled_on) == (State.DRAFT, None)


@pytest.mark.django_db
@pytest.mark.parametrize("decision", [Submission.Decision.LABELLED, Submission.Decision.REJECTED])
def test_the_decision_closes_the_experts_assignment(leader, decision):
    pole = PoleFactory()
    staff = pole_staff(pole)
    project = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    expert = PersonFactory()
    services.assign_expert(project, pole, expert)
    fresh = Project.objects.get(pk=project.pk)
    assert permissions.may_view_confidential(expert, fresh)
    assert permissions.may_give_opinion(expert, fresh)

    services.record_decision(submission(project, pole), decision, by=staff)

    assert ExpertAssignment.objects.get(project=project, expert=expert).closed_at is not None
    fresh = Project.objects.get(pk=project.pk)
    assert not permissions.may_view_confidential(expert, fresh)
    assert not permissions.may_give_opinion(expert, fresh)


@pytest.mark.django_db
def test_a_decision_closes_only_the_deciding_poles_assignments(two_poles):
    project, north, south, staff = two_poles
    expert = PersonFactory()
    services.assign_expert(project, south, expert)
    decide(project, north, Submission.Decision.REJECTED, staff)
    assert ExpertAssignment.objects.get(project=project, expert=expert).closed_at is None
    assert permissions.may_give_opinion(expert, Project.objects.get(pk=project.pk))


@pytest.mark.django_db
def test_experts_are_asked_only_about_pending_submissions(leader):
    pole = PoleFactory()
    project = project_with_consortium(leader=leader, state=State.LABELLED, pole=pole)
    expert = PersonFactory()
    with pytest.raises(ValidationError):
        services.assign_expert(project, pole, expert)
    assert not ExpertAssignment.objects.filter(project=project).exists()
