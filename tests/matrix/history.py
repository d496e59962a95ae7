"""The rows of the permission matrix for the history of a project: those who see the
project's confidential part, on the page and in the API."""

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                         leader member staff funder expert outsider
ROWS = [
    ("history", "get", "/projects/{draft}/history/", "draft",                         OK, OK, NF, NF, NF, NF),
    ("history", "get", "/projects/{submitted}/history/", "submitted",                 OK, OK, OK, NF, OK, NF),
    ("history", "get", "/projects/{funded}/history/", "funded",                       OK, OK, OK, OK, NF, NF),
    ("history", "get", "/projects/{foreign_draft}/history/", "foreign_draft",         NF, NF, NF, NF, NF, NF),
    ("history", "get", "/projects/{foreign_labelled}/history/", "foreign_labelled",   NF, NF, NF, NF, NF, NF),
    ("api history", "get", "/api/v1/projects/{draft}/history/", "draft",              OK, OK, NF, NF, NF, NF),
    ("api history", "get", "/api/v1/projects/{submitted}/history/", "submitted",      OK, OK, OK, NF, OK, NF),
    ("api history", "get", "/api/v1/projects/{funded}/history/", "funded",            OK, OK, OK, OK, NF, NF),
    ("api history", "get", "/api/v1/projects/{foreign_labelled}/history/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {}
