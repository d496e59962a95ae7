from django.utils.functional import SimpleLazyObject

from .models import Notification


def notifications(request):
    """The number of the person's unread notifications, for the badge in the navigation:
    one query, run only when a template shows it (HTMX fragments do not)."""

    def unread():
        user = request.user
        if not user.is_authenticated:
            return 0
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"unread_notifications": SimpleLazyObject(unread)}
