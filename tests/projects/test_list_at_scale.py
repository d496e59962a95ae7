"""What the project list's speed-ups must not change: the years offered by its filter, the
HTML of its selects, and the API's page size."""

import datetime

import pytest
from django import forms
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from portal.widgets import Select
from projects.filters import ProjectFilter, submission_years
from projects.models import Submission

from ..world import build_world

pytestmark = pytest.mark.django_db
PARIS = datetime.timezone(datetime.timedelta(hours=1))  # Europe/Paris in winter


def _submitted_at(project, when):
    Submission.objects.filter(project=project).update(submitted_at=when)


def _years_offered(client, person):
    client.force_login(person)
    choices = client.get("/projects/").context["filter"].form.fields["year"].widget.choices
    return [value for value, _label in choices if value != ""]


def test_the_years_offered_are_those_of_the_projects_one_may_see(client):
    world = build_world()
    projects, people = world["projects"], world["people"]
    _submitted_at(projects["submitted"], datetime.datetime(2019, 6, 1, tzinfo=datetime.UTC))
    _submitted_at(projects["funded"], datetime.datetime(2021, 6, 1, tzinfo=datetime.UTC))
    _submitted_at(projects["foreign_labelled"], datetime.datetime(2023, 6, 1, tzinfo=datetime.UTC))
    # Labelled projects show to all; SUBMIT to its consortium and its pole's staff only.
    assert _years_offered(client, people["leader"]) == [2023, 2021, 2019]
    assert _years_offered(client, people["staff"]) == [2023, 2021, 2019]
    assert _years_offered(client, people["outsider"]) == [2023, 2021]


def test_a_year_is_the_local_one(client):
    """Submitted at 23:30 UTC on the 31st of December: the next year in Paris."""
    world = build_world()
    late = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)
    _submitted_at(world["projects"]["funded"], late)
    Submission.objects.exclude(project=world["projects"]["funded"]).update(
        submitted_at=datetime.datetime(2020, 5, 1, tzinfo=PARIS)
    )
    with timezone.override("Europe/Paris"):
        years = submission_years(world["projects"]["funded"].__class__.objects.all())
    assert years == [2025, 2020]
    client.force_login(world["people"]["outsider"])
    listed = client.get("/projects/?year=2025").context["page"]
    assert [p.acronym for p in listed] == ["FUNDED"]


def test_no_submission_no_year():
    world = build_world()
    Submission.objects.all().delete()
    assert submission_years(world["projects"]["funded"].__class__.objects.all()) == []


def test_the_quick_select_draws_what_django_draws():
    choices = [
        ("", "All"),
        ("Group", [("1", "a < b"), ("2", 'say "hi"')]),
        (mark_safe("<i>Safe</i> group"), [("4", mark_safe("<b>safe</b>")), ("5", "<b>not</b>")]),
        ("", [("6", "in a group without a name")]),
        (3, "three & more"),
        (7, "<b>safe</b>"),  # the same text as a safe label above: escaped here
    ]
    attrs = {"id": "id_x", "disabled": True, "hidden": False, "data-note": "<b>"}
    for _twice in range(2):  # drawn, then kept
        for value in ("", "2", 3, "4", None):
            assert Select(attrs=attrs, choices=choices).render("x", value) == forms.Select(
                attrs=attrs, choices=choices
            ).render("x", value)


def test_kept_options_follow_the_language_and_the_choice():
    choices = [("", gettext_lazy("All regions")), ("a", "A")]
    with translation.override("fr"):
        french = Select(choices=choices).render("x", "")
        chosen = Select(choices=choices).render("x", "a")
    with translation.override("en"):
        english = Select(choices=choices).render("x", "")
    assert "Toutes les régions" in french and "All regions" in english
    assert '<option value="" selected>' in french and '<option value="a">' in french
    assert '<option value="">' in chosen and '<option value="a" selected>' in chosen


def test_a_value_that_cannot_be_kept_is_drawn_all_the_same():
    choices = [(["a", "list"], "A list"), ("b", "B")]
    assert Select(choices=choices).render("x", "b") == forms.Select(choices=choices).render(
        "x", "b"
    )


def test_kept_options_tell_a_safe_label_from_the_same_text():
    safe = Select(choices=[("1", mark_safe("<b>x</b>"))]).render("x", "")
    text = Select(choices=[("1", "<b>x</b>")]).render("x", "")
    assert "><b>x</b></option>" in safe and ">&lt;b&gt;x&lt;/b&gt;</option>" in text


def test_the_project_filter_draws_the_same_form(client):
    world = build_world()
    filterset = ProjectFilter(
        {"state": "draft"}, queryset=world["projects"]["draft"].__class__.objects.all()
    )
    for name in ("state", "pole", "theme", "trl", "category", "region", "year"):
        field = filterset.form.fields[name]
        fast = str(filterset.form[name])
        field.widget = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
        assert str(filterset.form[name]) == fast


def test_the_api_gives_up_to_100_rows_a_page(client, monkeypatch):
    from rest_framework.pagination import PageNumberPagination

    world = build_world()
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    client.force_login(world["people"]["leader"])
    assert len(client.get("/api/v1/projects/").json()["results"]) == 2
    assert len(client.get("/api/v1/projects/?page_size=3").json()["results"]) == 3
    monkeypatch.setattr("portal.api.pagination.Pagination.max_page_size", 3)
    assert len(client.get("/api/v1/projects/?page_size=100").json()["results"]) == 3
