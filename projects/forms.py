from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.forms import OrganisationCreateForm, SignUpForm
from portal.forms_utils import VersionedModelForm
from portal.models import Organisation, Pole, Theme
from portal.money import MoneyField

from .models import (
    COST_FIELDS,
    CommitteeSession,
    Contact,
    Document,
    Milestone,
    Partner,
    Project,
    State,
    Submission,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProjectForm(VersionedModelForm):
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
            # Read strictly (portal.money): "1e9" or "1.234,56" is refused, never guessed.
            label = self.fields[field].label
            self.fields[field] = MoneyField(label=label, required=False, allow_zero=True)

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


class PartnerBudgetForm(VersionedModelForm, CostsForm):
    class Meta:
        model = Partner
        fields = COST_FIELDS


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


class CommitteeSessionForm(VersionedModelForm):
    class Meta:
        model = CommitteeSession
        fields = ["name", "date", "location", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"notes": _("Seen by your pole's staff only.")}


class AgendaForm(forms.Form):
    submission = forms.ModelChoiceField(
        label=_("Project awaiting a decision"), queryset=Submission.objects.none()
    )

    def __init__(self, *args, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = submissions
        self.fields["submission"].label_from_instance = self.describe

    @staticmethod
    def describe(submission):
        text = f"{submission.project.acronym} — {submission.project.title}"
        if submission.session_id:
            text += " " + _("(now on %(session)s)") % {"session": submission.session}
        return text


class AskExpertForm(forms.Form):
    email = forms.EmailField(
        label=_("Expert's e-mail address"),
        help_text=_("The expert needs an account on the portal."),
    )


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Your opinion"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Read by the pole's staff only. You may amend it until the pole decides."),
    )


class MilestoneForm(VersionedModelForm):
    """Only the leader assigns a milestone to a partner: for the others the field is left out."""

    class Meta:
        model = Milestone
        fields = ["kind", "title", "description", "partner", "due_date", "done_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
            "done_on": DateInput(),
        }

    def __init__(self, *args, project, may_assign=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        if may_assign:
            self.fields["partner"].queryset = project.partners.select_related("organisation")
            self.fields["partner"].empty_label = _("No partner in particular")
        else:
            del self.fields["partner"]


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to use the file's name."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Document.Kind.choices, initial=Document.Kind.OTHER
    )
    # Empty files and every other check are the service's, so that the API says the same.
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG, %(max)s at most."
        ) % {"max": filesizeformat(settings.MAX_UPLOAD_SIZE)}


# --- the consortium: partners, new organisations, contacts, invitations --------------------


class NewOrganisationForm(OrganisationCreateForm):
    """An organisation created while adding it to a consortium; it gets no admin."""

    class Meta(OrganisationCreateForm.Meta):
        fields = [
            "legal_name",
            "category",
            "siren",
            "siret",
            "vat_number",
            "pic",
            "region",
            "country",
        ]
        help_texts = {"country": _("Two letters: FR, DE, IT…")}


class PartnerAddForm(PartnerForm):
    """A partner chosen in the member directory (``organisation``, the id the search gives),
    or a new organisation described in ``new_organisation`` (prefix ``new``)."""

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, organisations=organisations, **kwargs)
        self.fields["organisation"].required = False
        self.fields["organisation"].widget = forms.HiddenInput()
        # One coordinator per project: it changes by a handover, not by adding another.
        self.fields["role"].choices = [
            c for c in Partner.Role.choices if c[0] != Partner.Role.COORDINATOR
        ]
        self.new_organisation = NewOrganisationForm(
            self.data if self.is_bound else None, prefix="new"
        )

    @property
    def wants_new_organisation(self):
        return bool(self.data.get("new-legal_name", "").strip()) if self.is_bound else False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") is None and "organisation" not in self.errors:
            if not self.wants_new_organisation:
                self.add_error(
                    "organisation",
                    _("Choose an organisation in the directory, or create a new one below."),
                )
            elif not self.new_organisation.is_valid():
                self.add_error(None, _("Correct the new organisation's details below."))
        return cleaned


class PartnerRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Partner.Role.choices)


class ContactForm(forms.Form):
    """A contact added by the e-mail of their account, or invited by e-mail."""

    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role on the project"), choices=Contact.Role.choices)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        if Contact.Role.PARTNER_CONTACT in roles:
            self.fields["role"].initial = Contact.Role.PARTNER_CONTACT


class ContactRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role on the project"), choices=Contact.Role.choices)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]


class InvitationSignUpForm(SignUpForm):
    """The account of an invited person: the e-mail is the one invited."""

    class Meta(SignUpForm.Meta):
        fields = ["first_name", "last_name"]

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.email = email
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True

    def clean(self):
        self.cleaned_data["email"] = self.instance.email  # for the password similarity check
        return super().clean()
