"""Django's Content Security Policy middleware, with a policy of their own for PDFs."""

from django.middleware import csp
from django.utils.csp import CSP

# Chrome shows a PDF through an <embed> in a document that the response's policy governs
# (crbug.com/271452): object-src 'none' and style-src 'self' would leave it blank. A PDF runs
# no script of ours; it only must not be framed by another site.
PDF_CSP = {"frame-ancestors": [CSP.NONE]}


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """SECURE_CSP on every response (a view may override it with ``csp_override``), except a
    PDF, which gets PDF_CSP."""

    def process_response(self, request, response):
        is_pdf = response.get("Content-Type", "").startswith("application/pdf")
        if is_pdf and not hasattr(response, "_csp_config"):
            response._csp_config = PDF_CSP
        return super().process_response(request, response)
