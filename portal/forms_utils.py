from django.core.exceptions import NON_FIELD_ERRORS


def add_model_errors(form, error):
    """Show a ValidationError raised by a service on the form: each message on its field
    when the form has that field, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)
