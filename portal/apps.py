from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Kept dashboard figures go stale when the memberships, organisations or poles change.
        from . import snapshots

        snapshots.watch_portal()
        # Sessions note when they signed in (their absolute lifetime), from the first sign-in.
        from . import signin  # noqa: F401
