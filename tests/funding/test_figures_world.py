"""The funding figures of ``tests.world``, role by role (moved out of ``test_figures.py``,
whose hand-computed data set is shared by its tests: the two cannot be in one database)."""

import pytest

from ..shared import module_world
from ..world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


built_world, world = module_world(build_world, language="en")


@pytest.mark.parametrize(
    "role,lines",
    [("leader", 1), ("member", 1), ("staff", 1), ("funder", 0), ("expert", 0), ("outsider", 0)],
)
def test_world_roles_count_only_what_they_may_see(client, world, role, lines):
    """In the shared world, the foreign pole's line (FLABEL, ANR) counts for nobody here; a
    funder's reviewer sees the other funders' lines as totals only, so their figures are
    their portfolio's, not the dashboard's."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(world["people"][role])
    api = client.get("/api/v1/funding/figures/").json()
    assert api["totals"]["lines"] == lines
    assert api["totals"]["granted"] == ("150000.00" if lines else "0.00")
    assert "anr" not in [row["key"] for row in api["by_source"]]
