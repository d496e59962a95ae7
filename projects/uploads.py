"""What an uploaded file really is: its type read from its content, never from its name.

A file is accepted when its content is one of the types below AND its extension says the
same: an .exe renamed .pdf, or a plain ZIP renamed .docx, is refused.
"""

import hashlib
import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    name: str  # as people know it: "PDF", "DOCX"…
    content_type: str
    extensions: tuple


PDF = FileType("PDF", "application/pdf", (".pdf",))
DOCX = FileType(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
ODT = FileType("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
PNG = FileType("PNG", "image/png", (".png",))
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"))
ALLOWED = (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG)
BY_EXTENSION = {ext: kind for kind in ALLOWED for ext in kind.extensions}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
ODF_TYPES = {ODT.content_type: ODT, ODS.content_type: ODS}


def clean_name(name):
    """The file's own name, without any folder, control character or excess length."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext[:20])] + ext[:20]
    return name


def _zip_type(upload):
    """DOCX, XLSX, ODT or ODS as told by the entries inside the archive; None otherwise."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                # ODF: the first entry, stored uncompressed, names the document's type.
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return ODF_TYPES.get(declared)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    return None


def sniff(upload):
    """The allowed type the content of ``upload`` is, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(ZIP_SIGNATURE):
        found = _zip_type(upload)
        upload.seek(0)
        return found
    return None


def sha256_of(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_upload(upload):
    """The ``FileType`` of ``upload``, or a ValidationError on ``file`` saying why it is refused."""

    def refuse(message):
        raise ValidationError({"file": message}, code="invalid_upload")

    if upload is None:
        refuse(_("Choose a file."))
    name = clean_name(upload.name)
    allowed = ", ".join(kind.name for kind in ALLOWED)
    if not upload.size:
        refuse(_("The file is empty."))
    if upload.size > settings.MAX_UPLOAD_SIZE:
        refuse(
            _("The file is larger than %(max)s.")
            % {"max": filesizeformat(settings.MAX_UPLOAD_SIZE)}
        )
    expected = BY_EXTENSION.get(os.path.splitext(name)[1].lower())
    if expected is None:
        refuse(_("Only these kinds of file are accepted: %(kinds)s.") % {"kinds": allowed})
    found = sniff(upload)
    if found != expected:
        refuse(
            _(
                "This file is named like a %(kind)s document but its content is not one: "
                "it may be damaged or disguised. Nothing was saved."
            )
            % {"kind": expected.name}
        )
    return found
