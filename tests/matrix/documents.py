"""The rows of the permission matrix for documents: uploaded by the consortium, downloaded by
whoever sees the project's confidential part (never by anyone else, even of a labelled
project), deleted by their uploader or the leader."""

from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services

from . import NF, OK

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def a_pdf():
    """A fresh upload for each request: a file is read once."""
    return SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")


# fmt: off
#   (name, method, path template, object)                                           leader member staff funder expert outsider
ROWS = [
    ("download", "get", "/projects/{draft}/documents/{draft:document}/", "draft",        OK, OK, NF, NF, NF, NF),
    ("download", "get", "/projects/{submitted}/documents/{submitted:document}/", "submitted", OK, OK, OK, NF, OK, NF),
    ("download", "get", "/projects/{funded}/documents/{funded:document}/", "funded",     OK, OK, OK, OK, NF, NF),
    ("download", "get", "/projects/{foreign_labelled}/documents/{foreign_labelled:document}/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("api document", "get", "/api/v1/documents/{funded:document}/", "funded",            OK, OK, OK, OK, NF, NF),
    ("api document", "get", "/api/v1/documents/{foreign_labelled:document}/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("api download", "get", "/api/v1/documents/{submitted:document}/download/", "submitted", OK, OK, OK, NF, OK, NF),
    ("api download", "get", "/api/v1/documents/{funded:document}/download/", "funded",   OK, OK, OK, OK, NF, NF),
    ("api download", "get", "/api/v1/documents/{foreign_labelled:document}/download/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("upload", "post", "/projects/{draft}/documents/", "draft",                          OK, OK, NF, NF, NF, NF),
    ("upload", "post", "/projects/{funded}/documents/", "funded",                        OK, OK, NF, NF, NF, NF),
    ("upload", "post", "/projects/{foreign_labelled}/documents/", "foreign_labelled",    NF, NF, NF, NF, NF, NF),
    ("delete document", "post", "/projects/{draft}/documents/{draft:member_document}/delete/", "draft (member's)", OK, OK, NF, NF, NF, NF),
    ("delete document", "post", "/projects/{draft}/documents/{draft:document}/delete/", "draft (leader's)", OK, NF, NF, NF, NF, NF),
    ("api delete document", "delete", "/api/v1/documents/{draft:member_document}/", "draft (member's)", OK, OK, NF, NF, NF, NF),
    ("api delete document", "delete", "/api/v1/documents/{funded:document}/", "funded (leader's)", OK, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {"upload": {"kind": "other", "title": "Minutes", "file": a_pdf}}


def build(world):
    """A document uploaded by each project's leader; on DRAFT, one by the member too."""
    for key, project in world["projects"].items():
        leader = project.partners.get(role="coordinator").contact_rows.get().person
        world["extra"][f"{key}:document"] = services.add_document(
            project, by=leader, upload=a_pdf(), kind="application", title=f"{project.acronym} file"
        )
    world["extra"]["draft:member_document"] = services.add_document(
        world["projects"]["draft"], by=world["people"]["member"], upload=a_pdf()
    )
