"""Importing a pole's members from a spreadsheet, for the pole's staff: upload the file, read
the dry run's report, confirm to import.

Between the two steps the file is kept on the server under a random token, in a folder of its
own under MEDIA_ROOT (never served); the session knows which tokens are the person's and for
which pole, so the form only ever sends back a token, never a path.
"""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import imports, permissions
from .forms import MemberImportConfirmForm, MemberImportForm

TEMPLATE = "portal/member_import.html"
SESSION_KEY = "member_imports"
TOKEN = re.compile(r"[0-9a-f]{32}")
KEPT_PER_SESSION = 5
KEPT_FOR = 24 * 3600  # seconds: a file nobody confirmed is deleted after a day


def _pole_or_404(user, pk):
    """Only the pole's own staff import its members; for anyone else the page does not exist."""
    return get_object_or_404(permissions.staff_poles(user), pk=pk)


def _folder():
    return Path(settings.MEDIA_ROOT) / "member-imports"


def _forget_stale(folder):
    limit = time.time() - KEPT_FOR
    for path in folder.iterdir():
        if TOKEN.fullmatch(path.name) and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def keep_upload(request, pole, upload):
    """Store ``upload`` until it is confirmed; its token, known to this session only."""
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _forget_stale(folder)
    token = secrets.token_hex(16)
    with open(folder / token, "xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    kept = request.session.get(SESSION_KEY, {})
    name = Path((upload.name or "").replace("\\", "/")).name[-200:]
    kept[token] = {"pole": pole.pk, "name": name, "at": time.time()}
    for old in sorted(kept, key=lambda t: kept[t]["at"])[:-KEPT_PER_SESSION]:
        forget_upload(request, old, kept)
    request.session[SESSION_KEY] = kept
    return token


def kept_upload(request, pole, token):
    """The path and name of the file this session kept under ``token`` for ``pole``, or None."""
    if not TOKEN.fullmatch(token or ""):
        return None
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["pole"] != pole.pk:
        return None
    path = _folder() / token
    return (path, entry["name"]) if path.is_file() else None


def forget_upload(request, token, kept=None):
    kept = request.session.get(SESSION_KEY, {}) if kept is None else kept
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept
    if TOKEN.fullmatch(token):
        (_folder() / token).unlink(missing_ok=True)


def _run(path, name, pole, **options):
    with open(path, "rb") as file:
        return imports.import_members(
            file,
            pole,
            name=name,
            max_rows=imports.WEB_MAX_ROWS,
            max_lines=imports.WEB_MAX_LINES,
            max_unpacked=imports.WEB_MAX_UNPACKED,
            **options,
        )


@login_required
def member_import(request, pole_pk):
    """The upload form; once a file is uploaded, the dry run's report and the confirm form."""
    pole = _pole_or_404(request.user, pole_pk)
    form = MemberImportForm(request.POST or None, request.FILES or None)
    context = {"pole": pole, "form": form, "columns": imports.COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = keep_upload(request, pole, upload)
        path, name = kept_upload(request, pole, token)
        try:
            report = _run(path, name, pole, dry_run=True)
        except imports.FileRefused as error:
            forget_upload(request, token)
            form.add_error("file", error)
        else:
            context["report"] = report
            if report.importable:
                context["confirm_form"] = MemberImportConfirmForm(initial={"token": token})
            else:
                forget_upload(request, token)
    return render(request, TEMPLATE, context, status=400 if form.errors else 200)


@login_required
@require_POST
def member_import_confirm(request, pole_pk):
    """The real run, on the file kept at the dry run: everything or, while a row is rejected
    and the person did not ask to skip them, nothing."""
    pole = _pole_or_404(request.user, pole_pk)
    form = MemberImportConfirmForm(request.POST)
    kept = form.is_valid() and kept_upload(request, pole, form.cleaned_data["token"])
    if not kept:
        messages.error(request, _("This file is no longer kept: upload it again."))
        return redirect("member_import", pole.pk)
    path, name = kept
    token = form.cleaned_data["token"]
    try:
        report = _run(
            path, name, pole, dry_run=False, skip_invalid=form.cleaned_data["skip_invalid"]
        )
    except imports.FileRefused as error:
        forget_upload(request, token)
        messages.error(request, " ".join(error.messages))
        return redirect("member_import", pole.pk)
    context = {"pole": pole, "report": report, "columns": imports.COLUMNS}
    if report.refused:
        context.update(confirm_form=form, form=MemberImportForm())
        return render(request, TEMPLATE, context, status=400)
    forget_upload(request, token)
    context["form"] = MemberImportForm()
    return render(request, TEMPLATE, context)
