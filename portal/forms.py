from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Person


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


class OrganisationForm(forms.ModelForm):
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


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Organisation.Category.choices],
    )


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
