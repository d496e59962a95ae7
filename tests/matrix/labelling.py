"""The rows of the permission matrix for labelling: a pole's pipeline and committees, the
pole's file on a submission, expert opinions and the labelling letter."""

import datetime

from projects import services

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                                leader member staff funder expert outsider
SESSION = "/poles/{pole:own}/committees/{submitted:session}/"
FILE = "/projects/{submitted}/submissions/{submitted:submission}/"
OPINION = "/projects/{submitted}/opinions/{submitted:assignment}/"
ROWS = [
    ("pipeline", "get", "/poles/{pole:own}/pipeline/", "own pole",                         NF, NF, OK, NF, NF, NF),
    ("pipeline", "get", "/poles/{pole:foreign}/pipeline/", "foreign pole",                 NF, NF, NF, NF, NF, NF),
    ("committees", "get", "/poles/{pole:own}/committees/", "own pole",                     NF, NF, OK, NF, NF, NF),
    ("committees", "get", "/poles/{pole:foreign}/committees/", "foreign pole",             NF, NF, NF, NF, NF, NF),
    ("new session", "post", "/poles/{pole:own}/committees/new/", "own pole",               NF, NF, OK, NF, NF, NF),
    ("new session", "post", "/poles/{pole:foreign}/committees/new/", "foreign pole",       NF, NF, NF, NF, NF, NF),
    ("session", "get", SESSION, "session",                                                 NF, NF, OK, NF, NF, NF),
    ("edit session", "post", SESSION + "edit/", "session",                                 NF, NF, OK, NF, NF, NF),
    ("agenda add", "post", "/poles/{pole:own}/committees/{submitted:next_session}/agenda/", "session", NF, NF, OK, NF, NF, NF),
    ("agenda remove", "post", SESSION + "agenda/{submitted:submission}/remove/", "session", NF, NF, OK, NF, NF, NF),
    ("submission file", "get", FILE, "submitted",                                          NF, NF, OK, NF, NF, NF),
    ("ask expert", "post", FILE + "experts/", "submitted",                                 NF, NF, OK, NF, NF, NF),
    ("opinion page", "get", OPINION, "submitted",                                          NF, NF, NF, NF, OK, NF),
    ("give opinion", "post", OPINION, "submitted",                                         NF, NF, NF, NF, OK, NF),
    ("letter", "get", "/projects/{funded}/submissions/{funded:submission}/letter/", "funded", OK, OK, OK, OK, NF, NF),
    ("letter", "get", FILE + "letter/", "submitted (pending)",                             NF, NF, NF, NF, NF, NF),
    ("letter", "get", "/projects/{foreign_labelled}/submissions/{foreign_labelled:submission}/letter/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("api session", "get", "/api/v1/committee-sessions/{submitted:session}/", "session",   NF, NF, OK, NF, NF, NF),
    ("api edit session", "patch", "/api/v1/committee-sessions/{submitted:session}/", "session", NF, NF, OK, NF, NF, NF),
    ("api agenda", "post", "/api/v1/committee-sessions/{submitted:next_session}/agenda/", "session", NF, NF, OK, NF, NF, NF),
    ("api submission", "get", "/api/v1/submissions/{submitted:submission}/", "submitted",  OK, OK, OK, NF, OK, NF),
    ("api decision", "post", "/api/v1/submissions/{submitted:submission}/decision/", "submitted", NF, NF, OK, NF, NF, NF),
    ("api assignment", "get", "/api/v1/expert-assignments/{submitted:assignment}/", "submitted", NF, NF, OK, NF, OK, NF),
    ("api opinion", "post", "/api/v1/expert-assignments/{submitted:assignment}/opinion/", "submitted", NF, NF, NF, NF, OK, NF),
]
# fmt: on

BODIES = {
    "new session": {"name": "Comité de mars", "date": "2027-03-09"},
    "edit session": {"name": "Comité de février (reporté)", "date": "2027-02-16", "version": "1"},
    "api edit session": {"location": "Visio"},
    "agenda add": {"submission": "{submitted:submission}"},
    "api agenda": {"submission": "{submitted:submission}"},
    "ask expert": {"email": "outsider@world.example"},
    "give opinion": {"opinion": "A sound plan."},
    "api opinion": {"opinion": "A sound plan."},
    "api decision": {"decision": "labelled", "committee": "CL-3"},
}


def build(world):
    """Two sessions of the own pole: SUBMIT on the first one's agenda, the second empty."""
    pole = world["poles"]["own"]
    submitted = world["projects"]["submitted"]
    session = services.create_session(
        pole, name="Comité de février", date=datetime.date(2027, 2, 9)
    )
    services.schedule(submitted.submissions.get(), session)
    world["extra"]["submitted:session"] = session
    world["extra"]["submitted:next_session"] = services.create_session(
        pole, name="Comité d'avril", date=datetime.date(2027, 4, 13)
    )
    world["extra"]["submitted:assignment"] = submitted.expert_assignments.get()
