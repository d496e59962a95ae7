from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A code from the authenticator app (or, when signing in, a backup code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, backup=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if backup:
            field.help_text = _(
                "The 6 digits your authenticator app shows, or one of your backup codes."
            )
        else:
            field.help_text = _("The 6 digits your authenticator app shows.")
            field.widget.attrs["inputmode"] = "numeric"
