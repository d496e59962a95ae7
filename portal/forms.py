from django import forms
from django.contrib.auth import password_validation
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .forms_utils import VersionedModelForm
from .imports import WEB_MAX_SIZE, FileRefused, sniff_kind
from .models import Organisation, Person, Post, Theme


class SignUpForm(forms.ModelForm):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if Person.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("This e-mail address is already taken."))
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            person = Person(
                email=cleaned.get("email", ""), first_name=cleaned.get("first_name", "")
            )
            try:
                password_validation.validate_password(p1, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit=True):
        person = super().save(commit=False)
        person.set_password(self.cleaned_data["password1"])
        if commit:
            person.save()
        return person


class OrganisationForm(VersionedModelForm):
    # Wider than the identifiers: people type them with spaces or dots, which the model drops.
    siren = forms.CharField(label=_("SIREN"), max_length=20, required=False)
    siret = forms.CharField(label=_("SIRET (head office)"), max_length=25, required=False)
    pic = forms.CharField(label=_("EU PIC"), max_length=20, required=False)

    class Meta:
        model = Organisation
        fields = [
            "legal_name",
            "category",
            "siren",
            "siret",
            "pic",
            "vat_number",
            "country",
            "region",
            "city",
            "headcount",
            "turnover",
            "naf_code",
            "competences",
            "keywords",
            "description",
            "website",
            "directory_consent",
        ]
        widgets = {
            "competences": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class OrganisationCreateForm(OrganisationForm):
    """A new organisation. Its SIREN and name are checked against the existing ones by
    ``services.create_organisation``, which names the duplicates it finds."""

    confirm_distinct = forms.BooleanField(
        label=_("This is a different organisation"),
        required=False,
        help_text=_(
            "Grappe found an organisation with a similar name: tick if it is not this one."
        ),
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get(self.add_prefix("confirm_distinct")) in ("on", "True"):
            self.ask_confirmation()

    def ask_confirmation(self):
        """Show the checkbox: a similar name was found."""
        self.fields["confirm_distinct"].widget = forms.CheckboxInput()

    def validate_constraints(self):
        pass  # the service reports a taken SIREN, naming the organisation that has it


class PostForm(VersionedModelForm):
    """An offer or a need on the matchmaking board, for one of the person's organisations."""

    class Meta:
        model = Post
        fields = ["organisation", "kind", "title", "body", "keywords", "themes", "wanted_category"]
        widgets = {
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "keywords": _("Separated by commas: they find the organisations and posts that match."),
            "wanted_category": _("For a need: the kind of partner you are looking for."),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]  # a post stays with the organisation that made it
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].empty_label = None
        self.fields["kind"].choices = [(k, capfirst(label)) for k, label in Post.Kind.choices]
        self.fields["wanted_category"].choices = [
            ("", _("Any kind of partner")),
            *Organisation.Category.choices,
        ]
        self.fields["themes"].queryset = Theme.objects.select_related("pole").order_by(
            "pole__name", "name"
        )
        self.fields["themes"].label_from_instance = lambda t: f"{t.name} ({t.pole})"


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Say who you are, what you look for and what you offer."),
    )
    share_email = forms.BooleanField(
        label=_("Share my e-mail address with them"),
        required=False,
        help_text=_(
            "They can then answer your e-mail directly. Otherwise your address stays hidden: "
            "they answer by writing to your organisation through Grappe."
        ),
    )


class MemberImportForm(forms.Form):
    """A pole's members spreadsheet, checked for its size and, by its content, its type."""

    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (separated by ; , or tabs, UTF-8 or Latin-1) or XLSX, %(max)s at most, "
            "headers in the first row."
        ) % {"max": filesizeformat(WEB_MAX_SIZE)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > WEB_MAX_SIZE:
            raise forms.ValidationError(
                _("The file is larger than %(max)s: import it with “manage.py import_members”.")
                % {"max": filesizeformat(WEB_MAX_SIZE)}
            )
        try:
            sniff_kind(upload)
        except FileRefused as error:
            raise forms.ValidationError(error.messages) from None
        return upload


class MemberImportConfirmForm(forms.Form):
    # The kept file's token only: the server knows where the file is, the browser never says.
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows and skip the others"), required=False
    )
