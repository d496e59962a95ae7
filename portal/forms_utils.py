from django import forms
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


class VersionedModelForm(forms.ModelForm):
    """The form of an object edited with optimistic locking: it carries, hidden, the
    ``version`` the person loaded, which the service claims (``portal.modelutils``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    stale = None  # the StaleEdit that refused the last save, shown by _form_fields.html

    def __new__(cls, *args, **kwargs):
        form = super().__new__(cls)
        # Every keyword, before subclasses' __init__ take theirs: the form is made again alike.
        skip = ("data", "files", "instance", "initial")
        form._kwargs = {k: v for k, v in kwargs.items() if k not in skip}
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]  # a new object: nothing to claim yet
        else:
            self.fields["version"].initial = self.instance.version

    def with_newer_values(self, stale):
        """After ``stale`` (a StaleEdit): the form again, on the values someone else saved,
        saying so; the person decides what to save."""
        form = type(self)(instance=stale.current, **self._kwargs)
        form.stale = stale
        return form
