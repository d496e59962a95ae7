"""Two-factor pages: the sign-in's second step, and the person's own settings (set up,
new backup codes, turn off). The rules are in portal/two_factor.py."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from . import two_factor
from .two_factor_forms import CodeForm


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
@login_required
def signin_code(request):
    """The sign-in's second step: a code from the authenticator app or a backup code."""
    user = request.user
    if user.is_verified() or not two_factor.has_device(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None, backup=True)
    if request.method == "POST" and form.is_valid():
        device = two_factor.check_code(user, form.cleaned_data["code"])
        if device is not None:
            two_factor.mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = two_factor.backup_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a backup code: %(left)s left. "
                        "Make new ones from your two-factor settings.",
                        "You signed in with a backup code: %(left)s left. "
                        "Make new ones from your two-factor settings.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        if two_factor.count_wrong_code(request):
            messages.error(request, _("Too many wrong codes: sign in again."))
            return redirect("login")
        form.add_error("code", _("This code is not right. Check your app's clock and try again."))
    return render(
        request, "registration/signin_code.html", {"form": form, "next": _next(request, "")}
    )


@login_required
def two_factor_settings(request):
    user = request.user
    context = {
        "device": two_factor.authenticator(user),
        "required": two_factor.required_for(user),
        "backup_codes_left": two_factor.backup_codes_left(user),
        "form": CodeForm(backup=True),
    }
    return render(request, "portal/two_factor.html", context)


def _qr_code(device):
    """The provisioning URL as inline SVG markup (no style attributes: the CSP)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=_("QR code to scan with your app")
    )
    return mark_safe(svg)  # segno's own markup; the only text in it is our title


def _grouped(key):
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
def two_factor_setup(request):
    """Set up the authenticator app: scan the QR code (or type the key), confirm with a code;
    the backup codes are shown once, on the answer."""
    user = request.user
    if two_factor.authenticator(user) or (two_factor.has_device(user) and not user.is_verified()):
        return redirect("two_factor")  # through the code page first if not verified yet
    device = two_factor.start_setup(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(two_factor.normalise(form.cleaned_data["code"])):
            codes = two_factor.confirm_setup(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return render(
                request,
                "portal/two_factor_backup_codes.html",
                {"codes": codes, "next": _next(request, "")},
            )
        form.add_error(
            "code", _("This code does not match: check the key and your device's clock.")
        )
    context = {
        "form": form,
        "qr_code": _qr_code(device),
        "key": _grouped(base64.b32encode(device.bin_key).decode()),
        "required": two_factor.required_for(user),
        "next": _next(request, ""),
    }
    return render(request, "portal/two_factor_setup.html", context)


@never_cache
@require_POST
@login_required
def two_factor_backup_codes(request):
    """New backup codes, replacing those left, shown once."""
    if not two_factor.authenticator(request.user):
        return redirect("two_factor")
    codes = two_factor.new_backup_codes(request.user)
    return render(request, "portal/two_factor_backup_codes.html", {"codes": codes, "next": ""})


@require_POST
@login_required
def two_factor_disable(request):
    """Turn two-factor authentication off, with a current code; not for roles requiring it."""
    user = request.user
    if two_factor.required_for(user):
        messages.error(request, _("Your role requires two-factor authentication."))
        return redirect("two_factor")
    form = CodeForm(request.POST, backup=True)
    if form.is_valid() and two_factor.check_code(user, form.cleaned_data["code"]):
        two_factor.reset(user)
        messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, _("This code is not right: nothing changed."))
    return redirect("two_factor")
