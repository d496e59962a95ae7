"""The rows of the permission matrix for the PDFs: the yearly impact report of a pole (its
status page, asking for it, the file), its pole's staff's; and the project summary, for
whoever sees the project's confidential part (DESIGN.md's "PDF summary" row: the funder the
projects they fund, the expert the one project they review), through the page and the API.
Another consortium's project, another pole's report: nobody's here."""

from . import NF, OK

IMPACT = "/impact/{pole:own}/2026/"
FOREIGN_IMPACT = "/impact/{pole:foreign}/2026/"
# fmt: off
#   (name, method, path template, object)                                                   leader member staff funder expert outsider
ROWS = [
    ("impact pdf status", "get", IMPACT + "report/pdf/", "own pole",                              NF, NF, OK, NF, NF, NF),
    ("impact pdf status", "get", FOREIGN_IMPACT + "report/pdf/", "foreign pole",                  NF, NF, NF, NF, NF, NF),
    ("impact pdf request", "post", IMPACT + "report/pdf/", "own pole",                            NF, NF, OK, NF, NF, NF),
    ("impact pdf request", "post", FOREIGN_IMPACT + "report/pdf/", "foreign pole",                NF, NF, NF, NF, NF, NF),
    ("impact pdf file", "get", IMPACT + "report.pdf", "own pole, none yet",                       NF, NF, OK, NF, NF, NF),
    ("impact pdf file", "get", FOREIGN_IMPACT + "report.pdf", "foreign pole",                     NF, NF, NF, NF, NF, NF),
    ("summary pdf", "get", "/projects/{funded}/summary.pdf", "funded",                            OK, OK, OK, OK, NF, NF),
    ("summary pdf", "get", "/projects/{submitted}/summary.pdf", "submitted",                      OK, OK, OK, NF, OK, NF),
    ("summary pdf", "get", "/projects/{draft}/summary.pdf", "draft",                              OK, OK, NF, NF, NF, NF),
    ("summary pdf", "get", "/projects/{foreign_labelled}/summary.pdf", "foreign_labelled",        NF, NF, NF, NF, NF, NF),
    ("api summary", "get", "/api/v1/projects/{funded}/summary/", "funded",                        OK, OK, OK, OK, NF, NF),
    ("api summary", "get", "/api/v1/projects/{submitted}/summary/", "submitted",                  OK, OK, OK, NF, OK, NF),
    ("api summary", "get", "/api/v1/projects/{foreign_labelled}/summary/", "foreign_labelled",    NF, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {}
