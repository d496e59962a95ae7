"""A person's own account: what the portal holds about them (a download), and asking for the
erasure of their account (``portal.privacy``)."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import privacy
from .models import ErasureRequest


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise ValidationError(_("This is not your password."))
        return password


@login_required
def account(request):
    person = request.user
    context = {
        "person": person,
        "erasure": ErasureRequest.objects.filter(person=person).first(),
        "retention": privacy.retention_days(),
    }
    return render(request, "portal/account.html", context)


@login_required
def personal_data(request):
    """Everything the portal holds about the person, as a JSON file to keep."""
    data = privacy.personal_data(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"grappe-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erasure(request):
    person = request.user
    asked = ErasureRequest.objects.filter(person=person, state=ErasureRequest.State.ASKED).first()
    form = ErasureForm(request.POST or None, person=person)
    if request.method == "POST" and asked is None and form.is_valid():
        try:
            privacy.ask_erasure(person, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your request is recorded: an administrator erases your account and tells "
                    "you by e-mail."
                ),
            )
            return redirect("account")
    return render(request, "portal/erasure.html", {"form": form, "asked": asked})
