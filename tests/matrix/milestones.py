"""The rows of the permission matrix for milestones and deliverables: seen with the
project's confidential part, planned by the leader, completed by the responsible partner."""

import datetime

from projects import services

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                           leader member staff funder expert outsider
ROWS = [
    ("api milestone", "get", "/api/v1/milestones/{draft:milestone}/", "draft",           OK, OK, NF, NF, NF, NF),
    ("api milestone", "get", "/api/v1/milestones/{submitted:milestone}/", "submitted",   OK, OK, OK, NF, OK, NF),
    ("api milestone", "get", "/api/v1/milestones/{funded:milestone}/", "funded",         OK, OK, OK, OK, NF, NF),
    ("api milestone", "get", "/api/v1/milestones/{foreign_labelled:milestone}/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("add milestone", "post", "/projects/{draft}/milestones/", "draft",                  OK, NF, NF, NF, NF, NF),
    ("add milestone", "post", "/projects/{funded}/milestones/", "funded",                OK, NF, NF, NF, NF, NF),
    ("milestone done", "post", "/projects/{draft}/milestones/{draft:member_milestone}/done/", "draft", OK, OK, NF, NF, NF, NF),
    ("milestone done", "post", "/projects/{draft}/milestones/{draft:milestone}/done/", "draft (coordinator's)", OK, NF, NF, NF, NF, NF),
    ("milestone done", "post", "/projects/{submitted}/milestones/{submitted:milestone}/done/", "submitted", OK, OK, NF, NF, NF, NF),
    ("milestone edit page", "get", "/projects/{draft}/milestones/{draft:member_milestone}/edit/", "draft", OK, OK, NF, NF, NF, NF),
    ("milestone edit page", "get", "/projects/{draft}/milestones/{draft:milestone}/edit/", "draft (coordinator's)", OK, NF, NF, NF, NF, NF),
    ("milestone delete", "post", "/projects/{draft}/milestones/{draft:member_milestone}/delete/", "draft", OK, NF, NF, NF, NF, NF),
    ("api milestone edit", "patch", "/api/v1/milestones/{draft:member_milestone}/", "draft", OK, OK, NF, NF, NF, NF),
    ("api milestone edit", "patch", "/api/v1/milestones/{funded:milestone}/", "funded",  OK, OK, NF, NF, NF, NF),
    ("api milestone edit", "patch", "/api/v1/milestones/{draft:milestone}/", "draft (coordinator's)", OK, NF, NF, NF, NF, NF),
    ("api milestone complete", "post", "/api/v1/milestones/{funded:milestone}/complete/", "funded", OK, OK, NF, NF, NF, NF),
    ("api milestone delete", "delete", "/api/v1/milestones/{draft:milestone}/", "draft", OK, NF, NF, NF, NF, NF),
    ("api milestone delete", "delete", "/api/v1/milestones/{funded:milestone}/", "funded", OK, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {
    "add milestone": {
        "kind": "deliverable",
        "title": "D9.9 Final report",
        "due_date": "2027-06-30",
    },
    "api milestone edit": {"title": "Renamed"},
}


def build(world):
    """Milestones on each project; on DRAFT one for the coordinator and one for the member's
    partner, elsewhere the member's partner's."""
    member_org = world["organisations"]["member"]
    due = datetime.date(2027, 3, 31)
    for key, project in world["projects"].items():
        partners = {p.organisation_id: p for p in project.partners.all()}
        own = partners.get(member_org.pk)
        world["extra"][f"{key}:milestone"] = services.add_milestone(
            project,
            title=f"M1 of {project.acronym}",
            due_date=due,
            partner=own if own and key != "draft" else project.partners.get(role="coordinator"),
        )
    world["extra"]["draft:member_milestone"] = services.add_milestone(
        world["projects"]["draft"],
        kind="deliverable",
        title="D1 of the member",
        due_date=due,
        partner=world["projects"]["draft"].partners.get(organisation=member_org),
    )
