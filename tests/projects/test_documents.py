"""Documents of a project: uploaded by its consortium, checked by their content, stored under
a random name and downloaded only by those who may see the project's confidential part."""

import copy
import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.models import Document

from ..shared import build_once
from ..world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def client(client):
    """Pages in English, the language these tests compare messages in."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- Tiny files that look like the real thing --------------------------------------------------


def pdf():
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png():
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x5b\x2a\x86")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg():
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"


def _zip(entries, stored_first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1])
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx():
    return _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
        }
    )


def xlsx():
    return _zip(
        {
            "[Content_Types].xml": "<Types/>",
            "_rels/.rels": "<Relationships/>",
            "xl/workbook.xml": "<workbook/>",
        }
    )


def odf(kind):
    return _zip(
        {"content.xml": "<office:document-content/>", "META-INF/manifest.xml": "<manifest/>"},
        stored_first=("mimetype", f"application/vnd.oasis.opendocument.{kind}"),
    )


ALLOWED = [
    ("plan.pdf", pdf, "application/pdf"),
    (
        "agreement.docx",
        docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("budget.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("letter.odt", lambda: odf("text"), "application/vnd.oasis.opendocument.text"),
    ("figures.ods", lambda: odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("logo.png", png, "image/png"),
    ("photo.jpg", jpeg, "image/jpeg"),
    ("photo.JPEG", jpeg, "image/jpeg"),
]

REFUSED = [
    ("an .exe renamed .pdf", "report.pdf", lambda: b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60),
    ("a ZIP renamed .docx", "agreement.docx", lambda: _zip({"readme.txt": "hello"})),
    ("a broken ZIP named .docx", "agreement.docx", lambda: b"PK\x03\x04 not really a zip"),
    ("an empty file", "empty.pdf", lambda: b""),
    ("a PDF named .png", "logo.png", pdf),
    ("a DOCX named .xlsx", "budget.xlsx", docx),
    ("an ODT named .ods", "figures.ods", lambda: odf("text")),
    ("an ODF of another kind", "slides.odt", lambda: odf("presentation")),
    ("an executable", "setup.exe", pdf),
    ("a name without extension", "plan", pdf),
    ("a script", "page.html", lambda: b"<script>alert(1)</script>"),
]


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module", autouse=True)
def built_world(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""
    yield from build_once(django_db_blocker, build_world, language="en")


@pytest.fixture
def world(built_world, db, media):
    return copy.deepcopy(built_world)


@pytest.fixture
def project(world):
    return world["projects"]["funded"]


def login(client, world, role):
    client.force_login(world["people"][role])
    return world["people"][role]


# --- The service: what is accepted, what is refused -----------------------------------------


@pytest.mark.parametrize("name,make,content_type", ALLOWED, ids=[a[0] for a in ALLOWED])
def test_each_allowed_type_is_stored_with_its_checksum(
    world, project, media, name, make, content_type
):
    content = make()
    document = services.add_document(
        project, by=world["people"]["member"], upload=upload(name, content), kind="report"
    )
    document.refresh_from_db()
    assert (document.original_name, document.content_type, document.size) == (
        name,
        content_type,
        len(content),
    )
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.title == name  # no title given: the file's name
    assert document.uploaded_by == world["people"]["member"]
    # Stored under a random name, outside the checkout, with the bytes uploaded.
    assert name not in document.file.name
    (path,) = stored_files(media)
    assert path.read_bytes() == content


@pytest.mark.parametrize("why,name,make", REFUSED, ids=[r[0] for r in REFUSED])
def test_disguised_empty_or_unknown_files_are_refused_and_nothing_is_kept(
    world, project, media, why, name, make
):
    with pytest.raises(ValidationError) as caught:
        services.add_document(project, by=world["people"]["leader"], upload=upload(name, make()))
    assert list(caught.value.message_dict) == ["file"]
    assert Document.objects.count() == 0
    assert stored_files(media) == []


def test_the_messages_say_why(world, project):
    def message(name, content):
        with pytest.raises(ValidationError) as caught:
            services.add_document(
                project, by=world["people"]["leader"], upload=upload(name, content)
            )
        return caught.value.message_dict["file"][0]

    assert message("empty.pdf", b"") == "The file is empty."
    assert "named like a PDF document but its content is not one" in message(
        "report.pdf", b"MZ\x90\x00"
    )
    assert "named like a DOCX document" in message("a.docx", _zip({"readme.txt": "x"}))
    assert message("setup.exe", pdf()) == (
        "Only these kinds of file are accepted: PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG."
    )


def test_a_file_over_the_limit_is_refused(world, project, media, settings):
    settings.MAX_UPLOAD_SIZE = 100
    with pytest.raises(ValidationError) as caught:
        services.add_document(
            project, by=world["people"]["leader"], upload=upload("big.pdf", pdf() + b" " * 100)
        )
    assert caught.value.message_dict["file"] == ["The file is larger than 100\xa0bytes."]
    assert Document.objects.count() == 0 and stored_files(media) == []


def test_a_file_at_the_limit_is_accepted(world, project, settings):
    content = pdf()
    settings.MAX_UPLOAD_SIZE = len(content)
    services.add_document(project, by=world["people"]["leader"], upload=upload("a.pdf", content))
    assert Document.objects.count() == 1


def test_a_bad_title_leaves_no_file_behind(world, project, media):
    with pytest.raises(ValidationError) as caught:
        services.add_document(
            project, by=world["people"]["leader"], upload=upload("a.pdf", pdf()), title="x" * 300
        )
    assert "title" in caught.value.message_dict
    assert Document.objects.count() == 0 and stored_files(media) == []


def test_the_original_name_loses_its_folders(world, project):
    document = services.add_document(
        project, by=world["people"]["leader"], upload=upload("..\\..\\etc/pass\x00wd.pdf", pdf())
    )
    assert document.original_name == "passwd.pdf"


def test_deleting_a_document_removes_its_file_once_committed(
    world, project, media, django_capture_on_commit_callbacks
):
    document = services.add_document(
        project, by=world["people"]["leader"], upload=upload("a.pdf", pdf())
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(document)
    assert Document.objects.count() == 0 and stored_files(media) == []


# --- The project page -------------------------------------------------------------------------


def test_the_consortium_uploads_from_the_project_page(client, world, project, media):
    member = login(client, world, "member")
    response = client.post(
        f"/projects/{project.pk}/documents/",
        {
            "title": "Consortium agreement",
            "kind": "consortium_agreement",
            "file": upload("ca.pdf", pdf()),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/#documents"
    document = Document.objects.get()
    assert (document.title, document.kind, document.uploaded_by) == (
        "Consortium agreement",
        "consortium_agreement",
        member,
    )
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Consortium agreement" in html
    assert f'href="/projects/{project.pk}/documents/{document.pk}/"' in html


def test_an_htmx_upload_answers_the_section(client, world, project):
    login(client, world, "leader")
    response = client.post(
        f"/projects/{project.pk}/documents/",
        {"kind": "application", "file": upload("application.docx", docx())},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" aria-labelledby="documents-heading"')
    assert "application.docx" in html and "uploaded." in html


def test_a_refused_upload_shows_why_on_the_form(client, world, project, media):
    login(client, world, "leader")
    response = client.post(
        f"/projects/{project.pk}/documents/",
        {"kind": "other", "file": upload("report.pdf", b"MZ\x90\x00 an executable")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "named like a PDF document but its content is not one" in html
    assert 'role="alert"' in html
    assert Document.objects.count() == 0 and stored_files(media) == []


def test_an_empty_upload_is_refused_by_the_same_rule(client, world, project):
    login(client, world, "leader")
    response = client.post(
        f"/projects/{project.pk}/documents/", {"kind": "other", "file": upload("e.pdf", b"")}
    )
    assert response.status_code == 400
    assert "The file is empty." in response.content.decode()


def test_the_download_is_an_attachment_under_its_original_name(client, world, project):
    content = pdf()
    document = services.add_document(
        project, by=world["people"]["leader"], upload=upload("Accord été.pdf", content)
    )
    login(client, world, "funder")
    response = client.get(f"/projects/{project.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Accord%20%C3%A9t%C3%A9.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_media_folder_has_no_public_url(client, world, project):
    document = services.add_document(
        project, by=world["people"]["leader"], upload=upload("a.pdf", pdf())
    )
    login(client, world, "leader")
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/{document.file.name}").status_code == 404


def test_a_document_of_another_project_is_not_found_under_this_one(client, world, project):
    other = world["projects"]["draft"]
    document = services.add_document(
        other, by=world["people"]["leader"], upload=upload("a.pdf", pdf())
    )
    login(client, world, "funder")  # sees FUNDED, not DRAFT
    assert client.get(f"/projects/{project.pk}/documents/{document.pk}/").status_code == 404


def test_the_uploader_and_the_leader_delete_others_do_not(client, world, project):
    by_member = services.add_document(
        project, by=world["people"]["member"], upload=upload("m.pdf", pdf())
    )
    by_leader = services.add_document(
        project, by=world["people"]["leader"], upload=upload("l.pdf", pdf())
    )
    login(client, world, "member")
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert f"/documents/{by_member.pk}/delete/" in html
    assert f"/documents/{by_leader.pk}/delete/" not in html
    assert (
        client.post(f"/projects/{project.pk}/documents/{by_leader.pk}/delete/").status_code == 404
    )
    response = client.post(
        f"/projects/{project.pk}/documents/{by_member.pk}/delete/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response.content == b""
    login(client, world, "leader")
    assert (
        client.post(f"/projects/{project.pk}/documents/{by_leader.pk}/delete/").status_code == 302
    )
    assert Document.objects.count() == 0


def test_those_outside_the_consortium_see_no_upload_form(client, world, project):
    login(client, world, "funder")
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="documents-heading"' in html
    assert "Upload a document" not in html


# --- The API: the same service, the same permissions ------------------------------------------


def test_the_api_uploads_lists_and_downloads(client, world, project):
    login(client, world, "member")
    content = xlsx()
    response = client.post(
        "/api/v1/documents/",
        {"project": project.pk, "kind": "report", "file": upload("budget.xlsx", content)},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["original_name"] == "budget.xlsx"
    assert data["sha256"] == hashlib.sha256(content).hexdigest()
    assert data["download_url"] == f"/api/v1/documents/{data['id']}/download/"
    assert "file" not in data

    listed = client.get(f"/api/v1/documents/?project={project.pk}").json()
    assert [d["id"] for d in listed["results"]] == [data["id"]]
    assert (
        client.get(f"/api/v1/documents/?project={world['projects']['draft'].pk}").json()["count"]
        == 0
    )

    download = client.get(data["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"] == 'attachment; filename="budget.xlsx"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_the_api_refuses_what_the_page_refuses(client, world, project, media):
    login(client, world, "leader")
    response = client.post(
        "/api/v1/documents/",
        {"project": project.pk, "file": upload("agreement.docx", _zip({"readme.txt": "x"}))},
    )
    assert response.status_code == 400
    assert "named like a DOCX document" in response.json()["file"][0]
    empty = client.post("/api/v1/documents/", {"project": project.pk, "file": upload("e.pdf", b"")})
    assert empty.json() == {"file": ["The file is empty."]}
    assert Document.objects.count() == 0 and stored_files(media) == []


@pytest.mark.parametrize(
    "role,expected",
    [
        ("leader", 201),
        ("member", 201),
        # Not their consortium: the project is not one they may choose.
        ("staff", 400),
        ("funder", 400),
        ("expert", 400),
        ("outsider", 400),
    ],
)
def test_only_the_consortium_uploads_through_the_api(client, world, project, role, expected):
    login(client, world, role)
    response = client.post(
        "/api/v1/documents/", {"project": project.pk, "file": upload("a.pdf", pdf())}
    )
    assert response.status_code == expected
    assert Document.objects.count() == (1 if expected == 201 else 0)


def test_the_api_lists_documents_of_visible_projects_only(client, world):
    for key in ("draft", "funded", "foreign_labelled"):
        services.add_document(
            world["projects"][key], by=world["people"]["leader"], upload=upload("a.pdf", pdf())
        )
    expected = {
        "leader": {"DRAFT", "FUNDED"},
        "member": {"DRAFT", "FUNDED"},
        "staff": {"FUNDED"},
        "funder": {"FUNDED"},
        "expert": set(),
        "outsider": set(),
    }
    for role, acronyms in expected.items():
        login(client, world, role)
        listed = client.get("/api/v1/documents/").json()["results"]
        assert {Document.objects.get(pk=d["id"]).project.acronym for d in listed} == acronyms, role
