from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        # Every model that ``registry.TRACKED`` names writes to the trail when it changes.
        from . import recorder, registry

        recorder.connect(registry.TRACKED)
