"""Tranches, repayments and private rounds changed by two people at once: the second change,
over the version both loaded, is refused with the newer values (``tests/stale.py``)."""

import pytest

from ..shared import module_world
from ..stale import Case, api_story, build_matrix_world, page_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]


built_world, world = module_world(build_matrix_world, language="en", site=True)


# Marked paid from the page: after the refusal the row shows the first one's date, paid.
DISBURSEMENT = Case(
    "disbursement",
    "funder",
    lambda world: world["extra"]["funded:disbursement"],
    "paid_date",
    ("2026-03-05", "2026-03-06"),
    api="disbursements/{pk}/",
    page="/projects/{project}/funding/disbursements/{pk}/paid/",
    page_data=lambda tranche: {},
    shown="03/05/2026",
    form_shown=False,
)
REPAYMENT = Case(
    "repayment",
    "funder",
    lambda world: world["extra"]["funded:repayment"],
    "paid_date",
    ("2029-07-01", "2029-07-02"),
    api="repayments/{pk}/",
    page="/projects/{project}/funding/repayments/{pk}/paid/",
    page_data=lambda repayment: {},
    shown="07/01/2029",
    form_shown=False,
)
PRIVATE_ROUND = Case(
    "private round",
    "leader",
    lambda world: world["extra"]["funded:round"],
    "investors",
    ("Seed club", "Seed club and friends"),
    api="private-rounds/{pk}/",
)


@pytest.mark.parametrize("case", [DISBURSEMENT, REPAYMENT], ids=str)
def test_a_stale_page_save_is_refused_with_the_newer_values(client, world, case):
    page_story(client, world, case)


@pytest.mark.parametrize("case", [DISBURSEMENT, REPAYMENT, PRIVATE_ROUND], ids=str)
def test_a_stale_api_change_is_a_409_with_the_current_values(client, world, case):
    api_story(client, world, case)
