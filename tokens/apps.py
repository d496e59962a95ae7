from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TokensConfig(AppConfig):
    name = "tokens"
    verbose_name = _("API tokens")

    def ready(self):
        # The schema's bearer scheme (drf-spectacular finds extensions once imported) and the
        # revocation of a person's tokens when their password changes.
        from . import schema, signals  # noqa: F401
