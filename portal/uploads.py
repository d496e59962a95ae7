"""What a request may carry, and what the person is told when it carries more.

- A file: ``CappedUploadHandler`` keeps at most MAX_UPLOAD_SIZE + 1 bytes of it on disk while
  counting all of it, so a larger file is refused by its size ("The file is larger than
  20 MB": ``projects.uploads.check_upload``, the member import form) without filling the
  disk first. Whatever accepts a file checks its size against MAX_UPLOAD_SIZE or less.
- The rest of a request (form fields, JSON): DATA_UPLOAD_MAX_MEMORY_SIZE bytes,
  DATA_UPLOAD_MAX_NUMBER_FIELDS fields, DATA_UPLOAD_MAX_NUMBER_FILES files. Django refuses
  more with a bare "Bad Request (400)"; ``bad_request`` (the site's handler400) says what
  happened, on a page or, under /api/, in JSON (the API's own views: portal.api.exceptions).

The proxy in front should cap request bodies too, a little above MAX_UPLOAD_SIZE (nginx:
``client_max_body_size``), so that a huge body is not even read.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults


class CappedUploadHandler(TemporaryFileUploadHandler):
    """A temporary file holding at most MAX_UPLOAD_SIZE + 1 bytes of the upload; its ``size``
    is the size of the whole upload all the same (the parser counts every byte)."""

    def receive_data_chunk(self, raw_data, start):
        room = settings.MAX_UPLOAD_SIZE + 1 - start
        if room > 0:
            self.file.write(raw_data[:room])


def refusal(exception):
    """What to tell about a request Django refused for its size, or None for another error."""
    if isinstance(exception, RequestDataTooBig):
        return _(
            "What was sent is larger than %(max)s, files aside: nothing was saved. "
            "Send a shorter text, or put it in a document."
        ) % {"max": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    if isinstance(exception, TooManyFieldsSent):
        return _("What was sent has more than %(max)s fields: nothing was saved.") % {
            "max": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exception, TooManyFilesSent):
        return _("More than %(max)s files were sent at once: nothing was saved.") % {
            "max": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    return None


def bad_request(request, exception):
    """The site's 400: a request too large says so; any other is Django's bare 400."""
    message = refusal(exception)
    if message is None:
        return defaults.bad_request(request, exception)
    status = 413 if isinstance(exception, RequestDataTooBig) else 400
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "portal/request_refused.html", {"message": message}, status=status)
