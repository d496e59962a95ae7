"""The person's notifications: the list, and marking them read (with HTMX in place)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from . import notifications, permissions

PER_PAGE = 25
TEMPLATE = "portal/notification_list.html"


def _page(request, number):
    return Paginator(permissions.own_notifications(request.user), PER_PAGE).get_page(number)


def _with_badge(request, html):
    """The fragment, and the unread count in the navigation swapped out of band."""
    badge = render_to_string("portal/_unread_badge.html", {"oob": True}, request)
    return HttpResponse(html + badge)


@login_required
def notification_list(request):
    page = _page(request, request.GET.get("page"))
    template = TEMPLATE + "#list" if request.htmx else TEMPLATE
    return render(request, template, {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    try:
        notification = permissions.own_notifications(request.user).get(pk=pk)
    except permissions.Notification.DoesNotExist:
        raise Http404 from None
    notifications.mark_read(request.user, pk=notification.pk)
    if not request.htmx:
        return redirect("notification_list")
    notification.refresh_from_db()
    html = render_to_string(TEMPLATE + "#item", {"notification": notification}, request)
    return _with_badge(request, html)


@login_required
@require_POST
def notification_read_all(request):
    notifications.mark_read(request.user)
    if not request.htmx:
        return redirect("notification_list")
    html = render_to_string(
        TEMPLATE + "#list", {"page": _page(request, request.POST.get("page"))}, request
    )
    return _with_badge(request, html)
