"""The forms of market launches. Plain forms: the rules are the models' and the services',
reported on these fields by ``add_model_errors``. (The report and campaign forms are in
``report_forms.py``.)"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.money import EuroAmountField
from projects.forms import DateInput

from .countries import parse_markets
from .models import MarketLaunch

# --- Launches ---------------------------------------------------------------------------------


def partner_choices(partners):
    return [("", "---------"), *((p.pk, str(p.organisation)) for p in partners)]


class LaunchForm(forms.Form):
    """A launch of one of the partners whose launches the person records."""

    partner = forms.ModelChoiceField(label=_("Partner launching it"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=MarketLaunch.Kind.choices, initial=MarketLaunch.Kind.PRODUCT
    )
    launch_date = forms.DateField(label=_("Launch date"), widget=DateInput())
    markets = forms.CharField(
        label=_("Markets (countries)"),
        required=False,
        max_length=1000,
        help_text=_("ISO country codes, separated by commas: FR, DE, US."),
    )
    trl_reached = forms.IntegerField(label=_("TRL reached"), min_value=1, max_value=9)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    other_projects = forms.ModelMultipleChoiceField(
        label=_("Also came from the projects"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Projects you lead where the launching organisation is a partner."),
    )

    def __init__(self, *args, partners, partner_rows, other_projects, project_rows, **kwargs):
        """``partners`` and ``other_projects``: the querysets posted values are checked
        against; ``partner_rows`` and ``project_rows``: their rows, read once for a whole
        section and shown as the choices."""
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].choices = partner_choices(partner_rows)
        if project_rows:
            self.fields["other_projects"].queryset = other_projects
            self.fields["other_projects"].choices = [
                (p.pk, f"{p.acronym} — {p.title}") for p in project_rows
            ]
        else:  # nothing to choose from: no field
            del self.fields["other_projects"]

    def clean_markets(self):
        try:
            return parse_markets(self.cleaned_data["markets"])
        except ValidationError as error:
            raise ValidationError(error.messages, code="country") from None

    def launch_fields(self):
        """What the services are given, ``other_projects`` and ``version`` apart."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("other_projects", None)
        return data


class LaunchEditForm(LaunchForm):
    # The version of the launch the person is editing: a save over a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def for_launch(cls, launch, data=None, **kwargs):
        initial = {
            "partner": launch.partner_id,
            "name": launch.name,
            "kind": launch.kind,
            "launch_date": launch.launch_date,
            "markets": ", ".join(launch.markets),
            "trl_reached": launch.trl_reached,
            "description": launch.description,
            # The projects offered are ones the person sees: those shown are enough.
            "other_projects": [p.pk for p in launch.shown_projects],
            "version": launch.version,
        }
        return cls(data, initial=initial, **kwargs)


class RevenueForm(forms.Form):
    """A year's revenue of a launch: a year already recorded is replaced."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    amount = EuroAmountField(label=_("Revenue (€)"), allow_zero=True)
