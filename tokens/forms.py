from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_DAYS, MAX_DAYS, ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Monthly export script”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text=_(
            "A read-only token may only read. Either way, the token does no more than you may."
        ),
    )
    days = forms.IntegerField(
        label=_("Expires in (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("At most %(days)s days.") % {"days": MAX_DAYS},
    )
