"""portal.widgets.Renderer writes the common widgets and labels in Python: to the character
what Django's templates write, on the main pages of every role and for every kind of value."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.utils.safestring import mark_safe

from portal.widgets import Renderer
from tests.main_pages import leader_pages, staff_pages

from ..outcomes.world import build_outcomes
from ..shared import build_once
from ..world import build_world


class Everything(forms.Form):
    text = forms.CharField(help_text="Help <b>", initial='a "quoted" <value> & more')
    number = forms.DecimalField(initial=Decimal("1234.50"), min_value=0)
    whole = forms.IntegerField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=3)
    email = forms.EmailField(label="E-mail <address>", initial="a@b.example")
    url = forms.URLField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput)
    tick = forms.BooleanField(required=False, initial=True)
    untick = forms.BooleanField(required=False, initial=False)
    notes = forms.CharField(widget=forms.Textarea, initial="line 1\n<line 2>")
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    safe_notes = forms.CharField(widget=forms.Textarea, initial=mark_safe("<b>safe</b>"))
    choice = forms.ChoiceField(
        choices=[("", "—"), ("a", "A & a"), ("Group <g>", [("b", "B"), ("c", "C")])],
        initial="c",
    )
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two")], initial=[1, 2])
    data = forms.CharField(widget=forms.TextInput(attrs={"data-x": True, "data-y": False}))


def rendered(form):
    return [
        (str(field), field.label_tag(), field.label_tag(label_suffix=""), field.legend_tag())
        for field in form
    ]


@pytest.mark.parametrize("bound", [False, True])
def test_every_kind_of_widget_and_label_is_written_as_the_templates_write_it(bound):
    data = {"text": "<typed>", "number": "12,5", "tick": "on", "choice": "zz", "many": ["2"]}
    ours = Everything(data if bound else None, renderer=Renderer())
    django = Everything(data if bound else None, renderer=DjangoTemplates())
    assert rendered(ours) == rendered(django)
    day = datetime.date(2026, 11, 27)
    ours, django = (
        Everything(initial={"day": day}, renderer=r) for r in (Renderer(), DjangoTemplates())
    )
    assert rendered(ours) == rendered(django)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build():
        world = build_world()
        build_outcomes(world)
        return world

    yield from build_once(django_db_blocker, build, language="en")


def _without_csrf(html):
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]*"', r"\1", html)


@pytest.mark.django_db
@pytest.mark.parametrize("role, pages", [("staff", staff_pages), ("leader", leader_pages)])
def test_the_main_pages_are_the_same_with_djangos_renderer(client, world, role, pages):
    client.force_login(world["people"][role])
    for path in pages(world):
        ours = client.get(path)
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            theirs = client.get(path)
        assert ours.status_code == theirs.status_code == 200, path
        assert _without_csrf(ours.content.decode()) == _without_csrf(theirs.content.decode()), path
