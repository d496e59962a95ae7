"""The project summary PDF, for those who may see the project's confidential part."""

from django.contrib.auth.decorators import login_required

from portal.pdf import pdf_response
from projects import permissions as project_permissions

from .summary import render_summary


def summary_response(user, project):
    content, filename = render_summary(user, project)
    return pdf_response(content, filename)


@login_required
def project_summary_pdf(request, pk):
    project = project_permissions.get_project_or_404(
        request.user, pk, need=project_permissions.may_view_confidential
    )
    return summary_response(request.user, project)
