"""The rows of the permission matrix for market launches: the project page's section, the list
of launches and the API. Whoever sees the project's confidential part sees its launches (the
funder of FUNDED too); the leaders record and change any, the member (a contact of their
partner) their partner's; staff and funders only look; experts and everyone else find
nothing. The list page exists for everyone signed in, showing what each may see."""

from tests.outcomes.world import build_outcomes

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                                                 leader member staff funder expert outsider
ROWS = [
    ("launches section", "get", "/projects/{funded}/launches/", "funded",                                    OK, OK, OK, OK, NF, NF),
    ("launches section", "get", "/projects/{submitted}/launches/", "submitted (no launch)",                   OK, OK, OK, NF, OK, NF),
    ("launches section", "get", "/projects/{foreign_labelled}/launches/", "foreign_labelled",                NF, NF, NF, NF, NF, NF),
    ("new launch", "post", "/projects/{funded}/launches/new/", "member's partner",                           OK, OK, NF, NF, NF, NF),
    ("new launch", "post", "/projects/{foreign_labelled}/launches/new/", "foreign_labelled",                 NF, NF, NF, NF, NF, NF),
    ("edit launch", "post", "/projects/{funded}/launches/{funded:launch}/edit/", "member's launch",           OK, OK, NF, NF, NF, NF),
    ("delete launch", "post", "/projects/{funded}/launches/{funded:launch}/delete/", "member's launch",      OK, OK, NF, NF, NF, NF),
    ("launch revenue", "post", "/projects/{funded}/launches/{funded:launch}/revenues/", "member's launch",    OK, OK, NF, NF, NF, NF),
    # The folded forms of the section, opened (GET): behind the same permission as their POST.
    ("new launch form", "get", "/projects/{funded}/launches/new/", "member's partner",                      OK, OK, NF, NF, NF, NF),
    ("new launch form", "get", "/projects/{foreign_labelled}/launches/new/", "foreign_labelled",            NF, NF, NF, NF, NF, NF),
    ("edit launch form", "get", "/projects/{funded}/launches/{funded:launch}/edit/", "member's launch",     OK, OK, NF, NF, NF, NF),
    ("launch revenue form", "get", "/projects/{funded}/launches/{funded:launch}/revenues/", "member's launch", OK, OK, NF, NF, NF, NF),
    ("launch revenue delete", "post", "/projects/{funded}/launches/{funded:launch}/revenues/{funded:revenue}/delete/", "member's launch", OK, OK, NF, NF, NF, NF),
    ("launch list", "get", "/launches/", "all",                                                               OK, OK, OK, OK, OK, OK),
    ("launch list export", "get", "/launches/export.xlsx", "all",                                             OK, OK, OK, OK, OK, OK),
    ("api launches", "get", "/api/v1/launches/", "all",                                                       OK, OK, OK, OK, OK, OK),
    ("api launch", "get", "/api/v1/launches/{funded:launch}/", "member's launch",                            OK, OK, OK, OK, NF, NF),
    ("api add launch", "post", "/api/v1/launches/", "funded",                                                 OK, OK, NF, NF, NF, NF),
    ("api edit launch", "patch", "/api/v1/launches/{funded:launch}/", "member's launch",                     OK, OK, NF, NF, NF, NF),
    ("api delete launch", "delete", "/api/v1/launches/{funded:launch}/", "member's launch",                  OK, OK, NF, NF, NF, NF),
    ("api launch revenues", "get", "/api/v1/launch-revenues/", "all",                                         OK, OK, OK, OK, OK, OK),
    ("api launch revenue", "get", "/api/v1/launch-revenues/{funded:revenue}/", "member's launch",            OK, OK, OK, OK, NF, NF),
    ("api add launch revenue", "post", "/api/v1/launch-revenues/", "member's launch",                        OK, OK, NF, NF, NF, NF),
    ("api edit launch revenue", "patch", "/api/v1/launch-revenues/{funded:revenue}/", "member's launch",     OK, OK, NF, NF, NF, NF),
    ("api delete launch revenue", "delete", "/api/v1/launch-revenues/{funded:revenue}/", "member's launch",  OK, OK, NF, NF, NF, NF),
]
# fmt: on

LAUNCH = {
    "partner": "{funded:member_partner}",
    "name": "Hydro-Cell 2",
    "kind": "service",
    "launch_date": "2027-03-01",
    "trl_reached": "9",
}

BODIES = {
    "new launch": {**LAUNCH, "markets": "fr, de"},
    # Not after 2026: the launch has revenue in 2026.
    "edit launch": {**LAUNCH, "launch_date": "2026-07-01", "markets": "FR", "version": "1"},
    "launch revenue": {"year": "2027", "amount": "1000"},
    "api add launch": {**LAUNCH, "project": "{funded}", "markets": ["FR", "DE"]},
    "api edit launch": {"name": "Hydro-Cell One", "version": "1"},
    "api add launch revenue": {
        "launch": "{funded:launch}",
        "year": "2027",
        "amount": "1000.00",
        "currency": "EUR",
    },
    "api edit launch revenue": {"amount": "45000.00"},
}


def build(world):
    """The launch of the member's partner on FUNDED (``funded:launch``) and its 2026 revenue
    (``funded:revenue``), unless another feature built the outcome objects already."""
    if "funded:launch" not in world.get("extra", {}):
        build_outcomes(world)
