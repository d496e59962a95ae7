"""The rows of the permission matrix for the audit trail: the staff of a pole (what belongs to
their pole and its projects: tests/audit/test_trail.py) and administrators, nobody else —
not even for their own project."""

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                              leader member staff funder expert outsider
ROWS = [
    ("audit trail", "get", "/audit/", "the trail",                                         NF, NF, OK, NF, NF, NF),
    ("audit trail of a project", "get", "/audit/?project={funded}", "funded's trail",      NF, NF, OK, NF, NF, NF),
    ("audit export", "get", "/audit/export.csv", "the trail",                              NF, NF, OK, NF, NF, NF),
    ("audit export", "get", "/audit/export.xlsx?project={funded}", "funded's trail",       NF, NF, OK, NF, NF, NF),
]
# fmt: on

BODIES = {}
