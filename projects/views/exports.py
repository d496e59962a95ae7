"""Downloads of the project list, with the list's own filters."""

from django.contrib.auth.decorators import login_required

from portal.exports import export_response
from projects import permissions
from projects.exports import PROJECT_COLUMNS, project_rows
from projects.filters import ProjectFilter


@login_required
def project_list_export(request, fmt):
    projects = permissions.visible_projects(request.user).order_by("acronym", "pk")
    filterset = ProjectFilter(request.GET or None, queryset=projects)
    rows = project_rows(request.user, filterset.qs)
    return export_response("projects", PROJECT_COLUMNS, rows, fmt)
