from django.utils.functional import SimpleLazyObject

from .navigation import navigation


def notifications(request):
    """The number of the person's unread notifications, for the badge in the navigation:
    read with the navigation's links in one query (``portal.navigation``), run only when a
    template shows it (HTMX fragments do not)."""
    return {"unread_notifications": SimpleLazyObject(lambda: navigation(request)["unread"])}
