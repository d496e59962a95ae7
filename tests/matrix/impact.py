"""The rows of the permission matrix for the impact figures: a pole's dashboard (its staff's),
the national view (the national permission: nobody of the world has it), the yearly report
and its workbook, and the API.

By design, ``/impact/`` answers everyone 200: the staff see their pole's figures, anyone else
a page saying they have no impact figures to see (no figure, no chart). Asking for a pole one
does not work for, its report or its figures in the API is a 404; so is the API for someone
who sees no pole's figures."""

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                                 leader member staff funder expert outsider
ROWS = [
    ("impact dashboard", "get", "/impact/", "own figures or none",                          OK, OK, OK, OK, OK, OK),
    ("impact dashboard", "get", "/impact/?pole={pole:own}", "own pole",                     NF, NF, OK, NF, NF, NF),
    ("impact dashboard", "get", "/impact/?pole={pole:foreign}", "foreign pole",             NF, NF, NF, NF, NF, NF),
    ("impact national", "get", "/impact/national/", "every pole",                           NF, NF, NF, NF, NF, NF),
    ("impact report", "get", "/impact/{pole:own}/2026/report/", "own pole",                 NF, NF, OK, NF, NF, NF),
    ("impact report", "get", "/impact/{pole:foreign}/2026/report/", "foreign pole",         NF, NF, NF, NF, NF, NF),
    ("impact report xlsx", "get", "/impact/{pole:own}/2026/report.xlsx", "own pole",        NF, NF, OK, NF, NF, NF),
    ("impact report xlsx", "get", "/impact/{pole:foreign}/2026/report.xlsx", "foreign pole", NF, NF, NF, NF, NF, NF),
    ("api impact", "get", "/api/v1/impact/", "own pole",                                    NF, NF, OK, NF, NF, NF),
    ("api impact", "get", "/api/v1/impact/?pole={pole:foreign}", "foreign pole",            NF, NF, NF, NF, NF, NF),
    ("api impact", "get", "/api/v1/impact/?national=1", "every pole",                       NF, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {}
