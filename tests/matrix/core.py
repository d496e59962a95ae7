"""The rows of the permission matrix for projects, partners and organisations."""

from portal.models import Organisation
from portal.services import create_organisation

from ..factories import valid_siren
from . import FULL, NF, OK, SUMM

# fmt: off
#   (name, method, path template, object)                                    leader member staff funder expert outsider
ROWS = [
    ("detail", "get", "/projects/{draft}/", "draft",                          FULL, FULL, NF, NF, NF, NF),
    ("detail", "get", "/projects/{submitted}/", "submitted",                  FULL, FULL, FULL, NF, FULL, NF),
    ("detail", "get", "/projects/{funded}/", "funded",                        FULL, FULL, FULL, FULL, SUMM, SUMM),
    ("detail", "get", "/projects/{foreign_draft}/", "foreign_draft",          NF, NF, NF, NF, NF, NF),
    ("detail", "get", "/projects/{foreign_labelled}/", "foreign_labelled",    SUMM, SUMM, SUMM, SUMM, SUMM, SUMM),
    ("api", "get", "/api/v1/projects/{draft}/", "draft",                      FULL, FULL, NF, NF, NF, NF),
    ("api", "get", "/api/v1/projects/{submitted}/", "submitted",              FULL, FULL, FULL, NF, FULL, NF),
    ("api", "get", "/api/v1/projects/{funded}/", "funded",                    FULL, FULL, FULL, FULL, SUMM, SUMM),
    ("api", "get", "/api/v1/projects/{foreign_draft}/", "foreign_draft",      NF, NF, NF, NF, NF, NF),
    ("api", "get", "/api/v1/projects/{foreign_labelled}/", "foreign_labelled", SUMM, SUMM, SUMM, SUMM, SUMM, SUMM),
    ("edit page", "get", "/projects/{draft}/edit/", "draft",                  OK, NF, NF, NF, NF, NF),
    ("edit page", "get", "/projects/{funded}/edit/", "funded",                OK, NF, NF, NF, NF, NF),
    ("edit page", "get", "/projects/{foreign_labelled}/edit/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("api edit", "patch", "/api/v1/projects/{draft}/", "draft",               OK, NF, NF, NF, NF, NF),
    ("api edit", "patch", "/api/v1/projects/{funded}/", "funded",             OK, NF, NF, NF, NF, NF),
    ("api edit", "patch", "/api/v1/projects/{foreign_labelled}/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("own partner budget", "get", "/projects/{draft}/partners/{draft:member_partner}/budget/", "draft", OK, OK, NF, NF, NF, NF),
    ("coordinator budget", "get", "/projects/{draft}/partners/{draft:coordinator}/budget/", "draft", OK, NF, NF, NF, NF, NF),
    ("api own partner", "patch", "/api/v1/partners/{draft:member_partner}/", "draft", OK, OK, NF, NF, NF, NF),
    ("api coordinator row", "patch", "/api/v1/partners/{funded:coordinator}/", "funded", OK, NF, NF, NF, NF, NF),
    ("api partner read", "get", "/api/v1/partners/{funded:member_partner}/", "funded", OK, OK, OK, OK, NF, NF),
    ("add partner", "post", "/projects/{draft}/partners/", "draft",           OK, NF, NF, NF, NF, NF),
    ("abandon", "post", "/projects/{draft}/transition/", "draft",             OK, NF, NF, NF, NF, NF),
    ("api abandon", "post", "/api/v1/projects/{funded}/transition/", "funded", OK, NF, NF, NF, NF, NF),
    ("submit", "post", "/projects/{draft}/submit/", "draft",                  OK, NF, NF, NF, NF, NF),
    ("api submit", "post", "/api/v1/projects/{draft}/submit/", "draft",       OK, NF, NF, NF, NF, NF),
    ("decision page", "get", "/projects/{submitted}/submissions/{submitted:submission}/decision/", "submitted", NF, NF, OK, NF, NF, NF),
    ("decide", "post", "/projects/{submitted}/submissions/{submitted:submission}/decision/", "submitted", NF, NF, OK, NF, NF, NF),
    ("organisation (consortium)", "get", "/organisations/{org:member}/", "member org", OK, OK, OK, OK, OK, NF),
    ("organisation (foreign)", "get", "/organisations/{org:foreign}/", "foreign org", NF, NF, NF, NF, NF, NF),
    ("api organisation", "get", "/api/v1/organisations/{org:member}/", "member org", OK, OK, OK, OK, OK, NF),
    ("edit organisation", "get", "/organisations/{org:member}/edit/", "member org", NF, OK, NF, NF, NF, NF),
    ("api edit organisation", "patch", "/api/v1/organisations/{org:member}/", "member org", NF, OK, NF, NF, NF, NF),
]
# fmt: on

BODIES = {
    "add partner": {
        "organisation": "{org:foreign_consenting}",
        "role": "partner",
        "personnel_costs": "1000",
    },
    "abandon": {"state": "abandoned"},
    "api abandon": {"state": "abandoned"},
    "submit": {"poles": "{pole:own}"},
    "api submit": {"poles": ["{pole:own}"]},
    "decide": {"decision": "labelled", "committee": "CL-2"},
    "api edit": {"title": "A new title"},
    "api own partner": {"personnel_costs": "150000.00"},
    "api coordinator row": {"other_costs": "10.00"},
    "api edit organisation": {"city": "Grenoble"},
}


def build(world):
    """An organisation in the directory that no consortium has yet."""
    world["organisations"]["foreign_consenting"] = create_organisation(
        Organisation(
            legal_name="Open Composites",
            siren=valid_siren(990),
            category="sme",
            region="ARA",
            directory_consent=True,
        ),
        admin=world["people"]["outsider"],
    )
