from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, Pole, Theme

from .models import COST_FIELDS, Partner, Project, State, Submission


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "acronym",
            "title",
            "public_summary",
            "description",
            "themes",
            "trl_start",
            "trl_target",
            "start_date",
            "end_date",
        ]
        widgets = {
            "public_summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "themes": forms.CheckboxSelectMultiple,
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "public_summary": _("Shown to every signed-in member once the project is labelled."),
            "description": _("Seen only by the consortium, its poles, its funders and its expert."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.select_related("pole").order_by(
            "pole__name", "name"
        )
        self.fields["themes"].label_from_instance = lambda t: f"{t.name} ({t.pole})"


class ProjectCreateForm(ProjectForm):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinating organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("One of your organisations; you become the coordinator contact."),
    )

    class Meta(ProjectForm.Meta):
        fields = ["coordinator", *ProjectForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = Organisation.objects.filter(affiliations__person=user)


class CostsForm(forms.ModelForm):
    """Costs left empty are zero: a partner rarely has all four kinds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in COST_FIELDS:
            self.fields[field].required = False

    def clean(self):
        cleaned = super().clean()
        for field in COST_FIELDS:
            if field in cleaned and cleaned[field] is None:
                cleaned[field] = Decimal(0)
        return cleaned


class PartnerForm(CostsForm):
    class Meta:
        model = Partner
        fields = ["organisation", "role", *COST_FIELDS]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PartnerBudgetForm(CostsForm):
    # The version the person is editing: a save over a newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Partner
        fields = COST_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class TransitionForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=State.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000)


class SubmitForm(forms.Form):
    poles = forms.ModelMultipleChoiceField(
        label=_("Poles to submit to"),
        queryset=Pole.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose several poles for a co-labelled project."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Submission.Decision.LABELLED, Submission.Decision.LABELLED.label),
            (Submission.Decision.REJECTED, Submission.Decision.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DateInput())
    committee = forms.CharField(label=_("Committee"), required=False, max_length=200)
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    staff_notes = forms.CharField(
        label=_("Deliberation notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen by your pole's staff only, even on a co-labelled project."),
    )
