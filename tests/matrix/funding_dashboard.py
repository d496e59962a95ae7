"""The rows of the permission matrix for the funding figures: the dashboard of the poles a
person works for (everyone else's over the projects they see), a funder's portfolio, and
the figures' API."""

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                                  leader member staff funder expert outsider
ROWS = [
    ("funding dashboard", "get", "/funding/", "own figures",                                 OK, OK, OK, OK, OK, OK),
    ("funding dashboard", "get", "/funding/?pole={pole:own}", "own pole",                    NF, NF, OK, NF, NF, NF),
    ("funding dashboard", "get", "/funding/?pole={pole:foreign}", "foreign pole",            NF, NF, NF, NF, NF, NF),
    ("funding portfolio", "get", "/funding/portfolio/", "own funder",                        NF, NF, NF, OK, NF, NF),
    ("api funding figures", "get", "/api/v1/funding/figures/", "own figures",                OK, OK, OK, OK, OK, OK),
    ("api funding figures", "get", "/api/v1/funding/figures/?pole={pole:own}", "own pole",   NF, NF, OK, NF, NF, NF),
    ("api funding figures", "get", "/api/v1/funding/figures/?pole={pole:foreign}", "foreign pole", NF, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {}
