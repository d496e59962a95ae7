"""The rows of the permission matrix for exports: a project's funding export exists where its
funding section does — not for experts (what each gets: tests/funding/test_funding_exports.py)."""

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                         leader member staff funder expert outsider
ROWS = [
    ("project list export", "get", "/projects/export.csv", "list",                     OK, OK, OK, OK, OK, OK),
    ("project list export", "get", "/projects/export.xlsx", "list",                    OK, OK, OK, OK, OK, OK),
    ("funding export", "get", "/projects/{draft}/funding/export.csv", "draft",         OK, OK, NF, NF, NF, NF),
    ("funding export", "get", "/projects/{submitted}/funding/export.csv", "submitted", OK, OK, OK, NF, NF, NF),
    ("funding export", "get", "/projects/{funded}/funding/export.xlsx", "funded",      OK, OK, OK, OK, NF, NF),
    ("funding export", "get", "/projects/{foreign_labelled}/funding/export.csv", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("funding export", "get", "/projects/{foreign_draft}/funding/export.xlsx", "foreign_draft", NF, NF, NF, NF, NF, NF),
    ("funding lines export", "get", "/funding/lines/export.csv", "list",               OK, OK, OK, OK, OK, OK),
    ("funding lines export", "get", "/funding/lines/export.xlsx", "list",              OK, OK, OK, OK, OK, OK),
]
# fmt: on

BODIES = {}
