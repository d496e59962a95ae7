"""The forms of reporting campaigns and outcome reports. Plain forms: the rules are the
models' and the services', reported on these fields by ``add_model_errors``."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.models import Pole
from portal.money import EuroAmountField
from projects.forms import DateInput

from .models import Campaign, OutcomeReport, PartnerFigures


class FigureInput(forms.TextInput):
    """A text box reading a decimal comma as well as a point (a number box would empty "2,5")."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class FigureField(forms.DecimalField):
    """A share or a number of full-time equivalents: "2,5" or "2.5"."""

    widget = FigureInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {}  # no min/max/step attributes: the box is text, the server says what is wrong


class VersionedForm(forms.Form):
    # The version the person is editing: a save over a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- Campaigns ---------------------------------------------------------------------------------


class CampaignForm(forms.Form):
    pole = forms.ModelChoiceField(label=_("Pole"), queryset=None)
    year = forms.IntegerField(
        label=_("Year reported on"),
        min_value=1990,
        max_value=2100,
        help_text=_("The outcomes of this year are asked for."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    include_running = forms.BooleanField(
        label=_("Ask the running projects too"), required=False, initial=True
    )
    ended_within_years = forms.IntegerField(
        label=_("Ask the projects ended within (years)"),
        min_value=0,
        max_value=15,
        initial=Campaign.DEFAULT_ENDED_WITHIN,
        help_text=_("Reports are usually asked for up to 5 years after a project ends."),
    )
    message = forms.CharField(
        label=_("Message to the leaders"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on each report, above the figures to fill."),
    )

    def __init__(self, *args, poles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pole"].queryset = poles
        self.fields["pole"].empty_label = None
        today = timezone.localdate()
        self.fields["year"].initial = today.year - 1
        self.fields["due_date"].initial = today + datetime.timedelta(days=60)
        self.first_pole = poles.first()
        if self.first_pole is not None:
            self.fields["pole"].initial = self.first_pole.pk

    def scope(self):
        """(pole, year, include_running, ended_within_years) as typed so far, or None."""
        data = self.data
        try:
            pole = self.fields["pole"].queryset.get(pk=data.get("pole"))
            year = int(data.get("year", ""))
            within = int(data.get("ended_within_years") or Campaign.DEFAULT_ENDED_WITHIN)
        except (ValueError, TypeError, Pole.DoesNotExist):
            return None
        if not (1990 <= year <= 2100 and 0 <= within <= 15):
            return None
        return pole, year, bool(data.get("include_running")), within

    def initial_scope(self):
        """The scope of the blank form (its first pole)."""
        if self.first_pole is None:
            return None
        fields = self.fields
        return (
            self.first_pole,
            fields["year"].initial,
            fields["include_running"].initial,
            fields["ended_within_years"].initial,
        )


class ReportFilterForm(forms.Form):
    """The state filter of a campaign's table of reports."""

    NOT_STARTED = "not_started"
    STARTED = "started"

    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *state_choices()]

    def filter(self, reports):
        if not self.is_valid() or not self.cleaned_data["state"]:
            return reports
        return reports.filter(**STATE_FILTERS[self.cleaned_data["state"]])


def state_choices():
    """The states a campaign follows its reports by: a draft nobody opened is "not started"."""
    State = OutcomeReport.State
    return [
        (ReportFilterForm.NOT_STARTED, _("not started")),
        (ReportFilterForm.STARTED, _("draft in progress")),
        (State.SUBMITTED.value, State.SUBMITTED.label),
        (State.RETURNED.value, State.RETURNED.label),
        (State.VALIDATED.value, State.VALIDATED.label),
    ]


STATE_FILTERS = {
    ReportFilterForm.NOT_STARTED: {"state": "draft", "started_at__isnull": True},
    ReportFilterForm.STARTED: {"state": "draft", "started_at__isnull": False},
    "submitted": {"state": "submitted"},
    "returned": {"state": "returned"},
    "validated": {"state": "validated"},
}


# --- Reports -----------------------------------------------------------------------------------


def _label(name):
    return capfirst(PartnerFigures._meta.get_field(name).verbose_name)


class FiguresForm(VersionedForm):
    """One partner's figures; any may stay empty until the report is submitted."""

    revenue = EuroAmountField(label=_label("revenue"), required=False, allow_zero=True)
    export_share = FigureField(
        label=_label("export_share"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    jobs_created = FigureField(
        label=_label("jobs_created"), required=False, min_value=0, max_digits=8, decimal_places=1
    )
    jobs_maintained = FigureField(
        label=_label("jobs_maintained"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=1,
    )
    patents_filed = forms.IntegerField(
        label=_label("patents_filed"), required=False, min_value=0, max_value=100000
    )
    patents_granted = forms.IntegerField(
        label=_label("patents_granted"), required=False, min_value=0, max_value=100000
    )
    publications = forms.IntegerField(
        label=_label("publications"), required=False, min_value=0, max_value=100000
    )
    follow_on_funding = EuroAmountField(
        label=_label("follow_on_funding"), required=False, allow_zero=True
    )
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    SUGGESTED_FROM = {
        "revenue": _("pre-filled from the portal: launches"),
        "follow_on_funding": _("pre-filled from the portal: private rounds"),
    }

    @classmethod
    def for_figures(cls, figures, suggestions=None, data=None, **kwargs):
        """The form of ``figures``; an empty figure the portal already knows is pre-filled
        (not saved) and says where it comes from."""
        initial = {name: getattr(figures, name) for name in PartnerFigures.REQUIRED}
        initial["comments"] = figures.comments
        initial["version"] = figures.version
        prefilled = []
        for name, value in (suggestions or {}).items():
            if value is not None and initial.get(name) is None:
                initial[name] = value
                prefilled.append(name)
        form = cls(data, initial=initial, **kwargs)
        for name in prefilled:
            form.fields[name].help_text = cls.SUGGESTED_FROM[name]
        form.prefilled = prefilled
        return form

    def values(self):
        data = dict(self.cleaned_data)
        data.pop("version")
        data["comments"] = data["comments"].strip()
        return data


class ReportForm(VersionedForm):
    """The leaders' part: the narrative and the spin-offs."""

    narrative = forms.CharField(
        label=_("What the project brought"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Products, services, collaborations, awards… in a few lines."),
    )
    spin_offs = forms.IntegerField(
        label=_("Spin-offs created"), required=False, min_value=0, max_value=1000
    )

    @classmethod
    def for_report(cls, report, data=None, **kwargs):
        initial = {
            "narrative": report.narrative,
            "spin_offs": report.spin_offs,
            "version": report.version,
        }
        return cls(data, initial=initial, **kwargs)

    def values(self):
        return {
            "narrative": self.cleaned_data["narrative"].strip(),
            "spin_offs": self.cleaned_data["spin_offs"],
        }


class ReturnForm(forms.Form):
    review_comments = forms.CharField(
        label=_("What should change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The leaders and the partners' contacts read it on the report."),
    )


def as_decimal(value):
    """A figure of the submitted snapshot (JSON text) as a number, for display."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
