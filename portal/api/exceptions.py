from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from portal.modelutils import StaleEdit
from portal.uploads import refusal


def exception_handler(exc, context):
    """Validation lives on the models and in the services; the API answers their
    ValidationError the way it answers its own: a 400 with the errors of each field.
    A save over a newer version is a 409 that carries the newer values. A request larger
    than the settings allow is a 400 that says which limit (portal.uploads)."""
    too_much = refusal(exc)
    if too_much is not None:
        return Response({"detail": too_much}, status=400)
    if isinstance(exc, StaleEdit):
        view = context["view"]
        current = view.get_serializer(exc.current).data
        return Response({"detail": exc.messages[0], "current": current}, status=409)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (
                    api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
                ): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)
