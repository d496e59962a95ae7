"""The forms of memberships: applying, reviewing, fee schedules, fee calls and payments."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .figures import CallStatus
from .forms_utils import VersionedModelForm
from .models import FeeSchedule, Membership, MembershipApplication, Person
from .money import MoneyField
from .services import EMPTY_ACTIVITIES, EMPTY_NEEDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _year_field(label, **kwargs):
    return forms.IntegerField(label=label, min_value=2000, max_value=2100, **kwargs)


class DossierForm(VersionedModelForm):
    """What the organisation does, what it expects from the pole, the project it wants to
    run, and its people to attach to the membership."""

    class Meta:
        model = MembershipApplication
        fields = ["activities", "needs", "project_idea", "people"]
        widgets = {
            "activities": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 4}),
            "project_idea": forms.Textarea(attrs={"rows": 3}),
            "people": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "activities": _("What the organisation does, for whom, its main competences."),
            "needs": _("Partners, collaborative projects, funding, markets, training…"),
            "project_idea": _("Optional: the collaborative project you would like to build."),
            "people": _("They receive the pole's news and take part in its activities."),
        }
        error_messages = {
            "activities": {"required": EMPTY_ACTIVITIES},
            "needs": {"required": EMPTY_NEEDS},
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is None:
            del self.fields["people"]  # a new organisation: the applicant is its one person
        else:
            people = self.fields["people"]
            people.queryset = Person.objects.filter(affiliations__organisation=organisation)
            people.label_from_instance = lambda p: f"{p} ({p.email})"


class CommentForm(forms.Form):
    prefix = "info"  # three decision forms on one page: distinct ids

    comment = forms.CharField(
        label=_("Information you need"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what information you need: the applicant reads it.")},
    )


class AcceptForm(forms.Form):
    prefix = "accept"  # three decision forms on one page: distinct ids

    comment = forms.CharField(
        label=_("Welcome message (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    prefix = "reject"  # three decision forms on one page: distinct ids

    reason = forms.CharField(
        label=_("Reason for the refusal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads it."),
        error_messages={"required": _("Give the reason for the refusal: the applicant reads it.")},
    )


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *MembershipApplication.Status.choices],
    )


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Organisation"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Membership.Status.choices],
    )


class MembershipStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Follow the dates")),
            *[
                (s.value, s.label)
                for s in (
                    Membership.Status.NEW,
                    Membership.Status.CURRENT,
                    Membership.Status.GRACE,
                    Membership.Status.EXPIRED,
                )
            ],
        ],
        help_text=_("A status set by hand no longer follows the dates nor the payments."),
    )


class FeeScheduleForm(VersionedModelForm):
    amount = MoneyField(label=_("Yearly fee (€)"), allow_zero=True)

    class Meta:
        model = FeeSchedule
        fields = ["category", "min_headcount", "max_headcount", "amount"]
        help_texts = {
            "max_headcount": _("Empty: no upper limit."),
        }


class YearForm(forms.Form):
    year = _year_field(_("Year"))


class IssueCallsForm(forms.Form):
    year = _year_field(_("Year"))
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        help_text=_("30 days from today when left empty."),
    )


class FeeCallFilterForm(forms.Form):
    year = _year_field(_("Year"), required=False)
    status = forms.ChoiceField(
        label=_("Payment"),
        required=False,
        choices=[("", _("All")), *CallStatus.choices],
    )
    q = forms.CharField(label=_("Organisation"), required=False)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    amount = MoneyField(label=_("Amount (€)"))
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=100,
        help_text=_("Bank transfer, cheque or invoice number."),
    )

    def __init__(self, *args, remaining=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate
        if remaining is not None:
            self.fields["amount"].initial = remaining


def this_year():
    return timezone.localdate().year


def year_from(value, default=None):
    """A year read from a query string, or ``default`` (this year)."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default or this_year()
    return year if 2000 <= year <= 2100 else (default or this_year())
