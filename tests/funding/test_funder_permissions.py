"""A funder's reviewers see the projects their funder has a funding line on, nothing else."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import Funder, FundingLine
from funding.permissions import funders_of, sync_funder, visible_funding_lines
from funding.services import record_funding_line
from projects import permissions
from projects.models import Partner, Project, State
from tests.factories import (
    FunderFactory,
    PersonFactory,
    funder_reviewer,
    project_with_consortium,
)

pytestmark = pytest.mark.django_db


def fresh(project):
    return Project.objects.get(pk=project.pk)


def fund(project, funder, **fields):
    return record_funding_line(
        project=project,
        partner=project.partners.get(role=Partner.Role.COORDINATOR),
        funder=funder,
        **{"programme": "i-Nov", "amount_requested": Decimal("200000.00"), **fields},
    )


@pytest.fixture
def funder():
    return FunderFactory(name="Bpifrance", category=Funder.Category.BPIFRANCE)


@pytest.fixture
def reviewer(funder):
    return funder_reviewer(funder)


@pytest.fixture
def project():
    return project_with_consortium(state=State.FUNDING_SOUGHT)


def test_a_reviewer_sees_a_project_once_their_funder_has_a_line_on_it(funder, reviewer, project):
    assert not permissions.may_view_confidential(reviewer, fresh(project))
    assert list(visible_funding_lines(reviewer, fresh(project))) == []

    line = fund(project, funder)

    assert permissions.may_view_confidential(reviewer, fresh(project))
    assert not permissions.may_change(reviewer, fresh(project))
    assert not permissions.may_label(reviewer, fresh(project))
    assert list(visible_funding_lines(reviewer, fresh(project))) == [line]


def test_a_reviewer_does_not_see_an_unfunded_draft(funder, reviewer):
    funded = project_with_consortium()
    project_with_consortium()
    fund(funded, funder)
    assert set(permissions.visible_projects(reviewer)) == {fresh(funded)}


def test_a_reviewer_added_after_the_line_sees_the_project(funder, project):
    fund(project, funder)
    newcomer = funder_reviewer(funder)
    assert permissions.may_view_confidential(newcomer, fresh(project))
    assert list(funders_of(newcomer)) == [funder]


def test_a_reviewer_removed_from_the_funder_loses_the_project(funder, reviewer, project):
    fund(project, funder)
    funder.reviewers.remove(reviewer)
    sync_funder(funder)
    assert not permissions.may_view_confidential(reviewer, fresh(project))


def test_another_funders_reviewer_sees_nothing(funder, project):
    fund(project, funder)
    stranger = funder_reviewer(FunderFactory(category=Funder.Category.VC))
    assert not permissions.may_view_confidential(stranger, fresh(project))
    assert list(visible_funding_lines(stranger, fresh(project))) == []


def test_a_refused_line_grants_nothing(funder, reviewer, project):
    other = project_with_consortium()
    with pytest.raises(ValidationError) as caught:
        record_funding_line(
            project=project,
            partner=other.partners.get(role=Partner.Role.COORDINATOR),
            funder=funder,
            programme="i-Nov",
        )
    assert list(caught.value.message_dict) == ["partner"]
    assert not FundingLine.objects.exists()
    assert not permissions.may_view_confidential(reviewer, fresh(project))


def test_a_granted_line_needs_its_amount(funder, project):
    with pytest.raises(ValidationError) as caught:
        fund(project, funder, status=FundingLine.Status.GRANTED)
    assert list(caught.value.message_dict) == ["amount_granted"]
    assert not FundingLine.objects.exists()


def test_the_consortium_sees_the_funding_lines_outsiders_do_not(funder, project):
    line = fund(project, funder)
    leader = fresh(project).created_by
    assert list(visible_funding_lines(leader, fresh(project))) == [line]
    # The project is labelled, so its summary is public, but not its funding.
    outsider = PersonFactory()
    assert permissions.may_view(outsider, fresh(project))
    assert list(visible_funding_lines(outsider, fresh(project))) == []


@pytest.mark.parametrize(
    ("kind", "category", "valid"),
    [
        ("public", "bpifrance", True),
        ("public", "region", True),
        ("private", "vc", True),
        ("private", "angels", True),
        ("private", "anr", False),
        ("public", "bank", False),
    ],
)
def test_a_funders_kind_follows_its_category(kind, category, valid):
    funder = Funder(name="X", kind=kind, category=category)
    if valid:
        funder.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            funder.full_clean()
        assert list(caught.value.message_dict) == ["category"]
