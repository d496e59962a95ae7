"""The rows of the permission matrix for importing a pole's members: its own staff only, on
their pole; the page of another pole does not exist for them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ..factories import valid_siren
from . import NF, OK


def a_members_csv():
    """A fresh upload for each request: a file is read once."""
    data = f"Raison sociale;SIREN;Catégorie\nMatrice Composites;{valid_siren(980)};PME\n"
    return SimpleUploadedFile("adherents.csv", data.encode("cp1252"), content_type="text/csv")


# fmt: off
#   (name, method, path template, object)                                      leader member staff funder expert outsider
ROWS = [
    ("member import", "get", "/poles/{pole:own}/import/", "own pole",                NF, NF, OK, NF, NF, NF),
    ("member import", "get", "/poles/{pole:foreign}/import/", "foreign pole",        NF, NF, NF, NF, NF, NF),
    ("member import upload", "post", "/poles/{pole:own}/import/", "own pole",        NF, NF, OK, NF, NF, NF),
    ("member import upload", "post", "/poles/{pole:foreign}/import/", "foreign pole", NF, NF, NF, NF, NF, NF),
    ("member import confirm", "post", "/poles/{pole:own}/import/confirm/", "own pole", NF, NF, OK, NF, NF, NF),
    ("member import confirm", "post", "/poles/{pole:foreign}/import/confirm/", "foreign pole", NF, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {
    "member import upload": {"file": a_members_csv},
    # No file kept under this token: the staff are sent back to the upload form.
    "member import confirm": {"token": "0" * 32},
}
