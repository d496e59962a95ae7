import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_document_builds_without_warnings(tmp_path):
    """Every view is described: a view the generator cannot read would vanish from the docs."""
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in [
        "/api/v1/projects/",
        "/api/v1/partners/",
        "/api/v1/organisations/",
        "/api/v1/poles/",
    ]:
        assert path + ":" in text


@pytest.fixture(scope="module")
def document():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_declares_its_error_answers(document):
    """portal/api/schema.py: a client (and tests/api/test_schemathesis.py) knows which 4xx
    each operation may answer, and what their bodies look like."""
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert {"401", "403", "404"} <= set(operation["responses"]), (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert "400" in operation["responses"], (method, path)
            if "requestBody" in operation:
                assert "415" in operation["responses"], (method, path)
    patch = document["paths"]["/api/v1/launches/{id}/"]["patch"]["responses"]
    assert patch["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StaleEdit"
    }


def test_names_of_people_who_may_be_gone_are_nullable(document):
    """Found by schemathesis: a report nobody submitted yet, a payment recorded by an import…
    answer null, which the document said could not happen."""
    schemas = document["components"]["schemas"]
    for component, field in [
        ("Campaign", "opened_by_name"),
        ("Payment", "recorded_by_name"),
        ("Report", "submitted_by_name"),
        ("Report", "reviewed_by_name"),
        ("ReportDetail", "reviewed_by_name"),
        ("SubmissionDetail", "decided_by_name"),
        ("Milestone", "partner_name"),
    ]:
        assert schemas[component]["properties"][field].get("nullable"), (component, field)


def test_an_empty_website_is_allowed_by_the_document(document):
    """Found by schemathesis: an organisation without a website answers "", not a URI."""
    schemas = document["components"]["schemas"]
    for component in ("Organisation", "DirectoryEntry"):
        website = schemas[component]["properties"]["website"]
        assert {"type": "string", "maxLength": 0} in website["oneOf"], component


def test_a_project_is_read_in_full_or_by_its_summary(document):
    """Found by schemathesis: staff reading another pole's labelled project get its summary,
    which the document described as the full project."""
    response = document["paths"]["/api/v1/projects/{id}/"]["get"]["responses"]["200"]
    name = response["content"]["application/json"]["schema"]["$ref"].rpartition("/")[2]
    schemas = document["components"]["schemas"]
    assert schemas[name]["discriminator"]["propertyName"] == "access"
    mapping = schemas[name]["discriminator"]["mapping"]
    for access, ref in mapping.items():
        # Each access has its own shape, and one only: "access" tells them apart.
        enum = schemas[ref.rpartition("/")[2]]["properties"]["access"]["allOf"][0]["$ref"]
        assert schemas[enum.rpartition("/")[2]]["enum"] == [access]
    assert set(mapping) == {"full", "summary"}
