"""The project summary PDF, for those who may see the project's confidential part."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from projects import permissions as project_permissions

from .summary import render_summary


def summary_response(user, project):
    content, filename = render_summary(user, project)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def project_summary_pdf(request, pk):
    project = project_permissions.get_project_or_404(
        request.user, pk, need=project_permissions.may_view_confidential
    )
    return summary_response(request.user, project)
