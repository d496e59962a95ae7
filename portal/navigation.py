"""What the navigation shows a person, read once a request in one query: the links that
depend on who they are (registered with ``permissions.navigation_link`` by each app) and the
number of their unread notifications. Every signed-in page pays it: one query, not one a link."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from . import permissions
from .models import Notification, Person


def _unread(user):
    counted = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def navigation(request):
    """{link name: bool, …, "unread": int} for ``request.user``, kept on the request."""
    cached = getattr(request, "_navigation", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        cached = {**permissions.navigation_links(user), "unread": 0} if user else {"unread": 0}
    else:
        links = permissions.navigation_links(user)
        known = {name: value for name, value in links.items() if isinstance(value, bool)}
        asked = {name: value for name, value in links.items() if name not in known}
        row = (
            Person.objects.filter(pk=user.pk)
            .annotate(**asked, unread=_unread(user))
            .values(*asked, "unread")
            .get()
        )
        cached = {**known, **{name: bool(row[name]) for name in asked}, "unread": row["unread"]}
    request._navigation = cached
    return cached


def link(request, name):
    """Whether the navigation shows the link ``name`` to ``request.user``."""
    return navigation(request).get(name, False)
