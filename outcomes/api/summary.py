"""The project summary PDF through the API, for the same readers as the page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from projects import permissions as project_permissions

from ..summary_views import summary_response


class ProjectSummaryView(APIView):
    """The project's PDF summary (PDF/A-3b, its figures attached as figures.json), as the
    caller may see the project: a funder's shows their own lines and totals for others."""

    @extend_schema(
        operation_id="projects_summary",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            404: OpenApiResponse(description="No such project for the caller."),
        },
    )
    def get(self, request, pk):
        project = project_permissions.get_project_or_404(
            request.user, pk, need=project_permissions.may_view_confidential
        )
        return summary_response(request.user, project)
