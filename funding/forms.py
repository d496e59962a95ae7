"""The forms of a project's funding section. Plain forms: the rules are the models' and the
services', reported on these fields by ``add_model_errors``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.money import MoneyField
from projects.forms import DateInput

from .models import Disbursement, FundingLine, PrivateRound, Programme

Status = FundingLine.Status


def programme_choices(programmes):
    """Programmes grouped by funder, each with its instrument: one query, shared by every
    form of the page."""
    groups = {}
    for programme in programmes:
        groups.setdefault(programme.funder.name, []).append(
            (programme.pk, f"{programme.name} — {programme.get_instrument_display()}")
        )
    return [("", "---------"), *groups.items()]


def partner_choices(partners):
    return [("", "---------"), *((p.pk, str(p.organisation)) for p in partners)]


def _status_choices(statuses):
    return [(str(status), Status(status).label) for status in statuses]


class VersionedForm(forms.Form):
    # The version of the line the person is editing: a save over a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LineForm(forms.Form):
    """The leaders' application: who applies to which programme for how much."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.select_related("funder")
    )
    amount_requested = MoneyField(label=_("Amount requested (€)"))
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args, project, partners, programmes, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = project.partners.all()
        # The choices are read once for the page; the querysets check what is posted.
        self.fields["partner"].choices = partner_choices(partners)
        self.fields["programme"].choices = programmes
        self.fields["status"].choices = _status_choices(statuses)


class LineEditForm(VersionedForm, LineForm):
    @classmethod
    def for_line(cls, line, data=None, **kwargs):
        initial = {
            "partner": line.partner_id,
            "programme": line.programme_id,
            "amount_requested": line.amount_requested,
            "status": line.status,
            "version": line.version,
        }
        return cls(data, initial=initial, **kwargs)


class DecisionForm(VersionedForm):
    """The funder's decision on an application, then its corrections and closing."""

    status = forms.ChoiceField(label=_("Decision"))
    amount_granted = MoneyField(label=_("Amount granted (€)"), required=False)
    over_request_confirmed = forms.BooleanField(
        label=_("I confirm granting more than the amount requested"), required=False
    )
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    amount_cancelled = MoneyField(
        label=_("Amount cancelled since (€)"), required=False, allow_zero=True
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, statuses, cancellable=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _status_choices(statuses)
        if not cancellable:  # nothing granted yet: nothing to cancel
            del self.fields["amount_cancelled"]

    @classmethod
    def for_line(cls, line, data=None, **kwargs):
        initial = {
            "status": line.status,
            "amount_granted": line.amount_granted,
            "over_request_confirmed": line.over_request_confirmed,
            "decision_date": line.decision_date,
            "amount_cancelled": line.amount_cancelled,
            "conditions": line.conditions,
            "version": line.version,
        }
        return cls(data, initial=initial, **kwargs)

    def changes(self):
        """What the service is asked to save: an amount left empty is none (a refusal)."""
        data = dict(self.cleaned_data)
        data.pop("version")
        if "amount_cancelled" in data and data["amount_cancelled"] is None:
            data["amount_cancelled"] = 0
        return data


class DisbursementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Disbursement.Kind.choices, initial=Disbursement.Kind.INTERIM
    )
    amount = MoneyField(label=_("Amount (€)"))
    scheduled_date = forms.DateField(label=_("Scheduled date"), widget=DateInput())
    paid_date = forms.DateField(
        label=_("Paid date"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty while the tranche is not paid."),
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100)


class RepaymentForm(forms.Form):
    amount = MoneyField(label=_("Amount (€)"))
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    paid_date = forms.DateField(
        label=_("Paid date"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty while the repayment is not made."),
    )


class PaidForm(VersionedForm):
    """A tranche marked paid: ``version`` is the tranche's."""

    paid_date = forms.DateField(label=_("Paid on"), widget=DateInput())


class PrivateRoundForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner company"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PrivateRound.Kind.choices, initial=PrivateRound.Kind.EQUITY
    )
    amount = MoneyField(label=_("Amount raised (€)"))
    investors = forms.CharField(
        label=_("Investors"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())

    def __init__(self, *args, project, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = project.partners.all()
        companies = [
            p for p in partners if p.organisation.category not in PrivateRound.NOT_COMPANIES
        ]
        self.fields["partner"].choices = partner_choices(companies)
