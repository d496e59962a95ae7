from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .services import revoke_all


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="tokens_password_changed")
def revoke_tokens_on_password_change(sender, instance, created, **kwargs):
    """A new password revokes every token of the person, as it signs out their other sessions:
    one changes it on fearing someone else got in, and whoever did may have made a token.

    ``_password`` holds the new password between ``set_password()`` and the end of ``save()``
    (Django calls the validators' ``password_changed()`` from it); a hash upgrade at sign-in
    clears it first, so it revokes nothing."""
    if not created and getattr(instance, "_password", None) is not None:
        revoke_all(instance)
