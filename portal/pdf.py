"""PDF documents rendered by WeasyPrint from our templates: archival (PDF/A-3b), tagged for
accessibility, their figures embedded as a JSON attachment that a funder's tools can read.

The renderer fetches nothing from outside the project: ``StaticOnlyFetcher`` serves our own
static files (the stylesheet, the fonts) and refuses every other URL — ``file://``, the
network, ``data:`` — whatever a user typed into a text that ends up in a document (templates
escape it anyway; this is the second lock).
"""

import json
import mimetypes
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

# The base URL documents are rendered against: relative URLs resolve under it, and only
# what lies under its static prefix is ever fetched. ".invalid" never resolves (RFC 2606).
BASE_URL = "https://grappe.invalid/"
PDF_VARIANT = "pdf/a-3b"


class RefusedURL(ValueError):
    pass


def _weasyprint():
    import weasyprint  # imported on first use: it costs half a second per process

    return weasyprint


def static_path(url):
    """The file behind ``url`` if it is one of our static files, else None."""
    prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
    if not url.startswith(prefix):
        return None
    relative = url[len(prefix) :].split("?")[0].split("#")[0]
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        return None
    found = finders.find(relative)
    return Path(found) if found else None


def fetcher_class():
    weasyprint = _weasyprint()

    class StaticOnlyFetcher(weasyprint.urls.URLFetcher):
        """Serves our static files; refuses any other URL."""

        def fetch(self, url, headers=None):
            path = static_path(url)
            if path is None:
                raise RefusedURL(f"Grappe's PDFs fetch nothing but their own static files: {url}")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": mime_type}
            )

    return StaticOnlyFetcher


def safe_fetcher():
    return fetcher_class()()


class _Encoder(DjangoJSONEncoder):
    """Decimals as strings ("1234.50"): exact, as the database holds them."""

    def default(self, o):
        if isinstance(o, Decimal):
            return format(o, "f")
        return super().default(o)


def figures_json(data):
    return json.dumps(data, cls=_Encoder, ensure_ascii=False, indent=2).encode()


def render_pdf(template_name, context, *, identifier, figures=None, attachment_name="figures.json"):
    """The PDF of ``template_name`` rendered with ``context``; ``figures`` (JSON-able data)
    embedded as ``attachment_name``; ``identifier`` the document's identifier (shown in the
    document by the template and written in the PDF's trailer)."""
    weasyprint = _weasyprint()
    fetcher = safe_fetcher()
    html = render_to_string(template_name, context)
    attachments = []
    if figures is not None:
        attachments.append(
            weasyprint.Attachment(
                string=figures_json(figures),
                name=attachment_name,
                description="The figures of this document, as JSON",
                relationship="Data",
                url_fetcher=fetcher,
            )
        )
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        pdf_identifier=identifier.encode(),
        attachments=attachments,
        custom_metadata=True,
    )


def pdf_response(content, filename):
    """The PDF shown in the browser under ``filename``; a name built from what someone typed
    (a project's acronym) is quoted or encoded, never cut into the header."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
