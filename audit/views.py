from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from portal.exports import Column, export_response

from . import permissions
from .display import shown
from .filters import AuditFilter
from .models import AuditEntry

PAGE_SIZE = 50
LIST = "audit/entry_list.html"


def _filtered(request):
    if not permissions.may_view_trail(request.user):
        raise Http404
    entries = permissions.visible_entries(request.user)
    return AuditFilter(request.GET or None, queryset=entries)


@require_safe
@login_required
def entry_list(request):
    """The audit trail the person may read, newest first, with filters; with HTMX, the
    results alone."""
    filterset = _filtered(request)
    rows = filterset.qs.select_related("who", "content_type")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = shown(page.object_list)
    template = LIST
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": filterset, "page": page})


def _export_rows(entries):
    """One row per field changed (an entry without fields, one row), a page of entries read
    at a time (their references named a page at a time)."""
    paginator = Paginator(entries, 500)
    for number in paginator.page_range:
        for item in shown(paginator.page(number).object_list):
            for change in item.changes or [None]:
                yield item, change


EXPORT_COLUMNS = [
    Column(_("When"), lambda row: row[0].entry.at),
    Column(_("Who"), lambda row: str(row[0].entry.who or "")),
    Column(_("From address"), lambda row: row[0].entry.address or "", kind="text"),
    Column(_("Action"), lambda row: row[0].entry.get_action_display()),
    Column(_("Kind"), lambda row: row[0].kind),
    Column(_("Object number"), lambda row: row[0].entry.object_id, kind="integer"),
    Column(_("Object"), lambda row: row[0].entry.object_repr),
    Column(_("Project number"), lambda row: row[0].entry.project_id, kind="integer"),
    Column(_("Field"), lambda row: row[1].label if row[1] else ""),
    Column(_("Before"), lambda row: row[1].before if row[1] else "", kind="text"),
    Column(_("After"), lambda row: row[1].after if row[1] else "", kind="text"),
]


@require_safe
@login_required
def entry_export(request, fmt):
    """The entries of the list, with its filters, as CSV or XLSX: a row per field changed."""
    entries = _filtered(request).qs.select_related("who", "content_type").order_by("-at", "-pk")
    # Read a page at a time: entries written meanwhile would shift the pages (rows twice).
    latest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    entries = entries.filter(pk__lte=latest)
    return export_response("audit trail", EXPORT_COLUMNS, _export_rows(entries), fmt)
