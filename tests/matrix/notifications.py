"""The rows of the permission matrix for notifications: a person's own, nobody else's."""

from portal.models import Notification

from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                              leader member staff funder expert outsider
ROWS = [
    ("notifications", "get", "/notifications/", "own list",                                OK, OK, OK, OK, OK, OK),
    ("mark read", "post", "/notifications/{draft:notification}/read/", "leader's notification", OK, NF, NF, NF, NF, NF),
    ("mark all read", "post", "/notifications/read/", "own notifications",                 OK, OK, OK, OK, OK, OK),
]
# fmt: on

BODIES = {}


def build(world):
    """A notification of the leader's."""
    world["extra"]["draft:notification"] = Notification.objects.create(
        recipient=world["people"]["leader"], subject="For the leader only"
    )
