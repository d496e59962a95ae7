"""The history of a project in the API: the same entries, and the same rule on who sees
them, as the History section of the project page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from projects import permissions
from projects.history import page_number, project_history


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="__str__")


class FieldChangeSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField(help_text="The field's name as the page shows it.")
    before = serializers.CharField(help_text="The value before, as the page shows it.")
    after = serializers.CharField(help_text="The value after, as the page shows it.")
    before_value = serializers.JSONField(help_text="The stored value before (amounts as text).")
    after_value = serializers.JSONField(help_text="The stored value after (amounts as text).")


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    who = PersonRefSerializer(allow_null=True, help_text="Null for changes made by the platform.")
    kind = serializers.CharField(
        help_text="project, partner, contact, submission, milestone, state (a move along "
        "the lifecycle), or the kinds other apps register: funding_line, disbursement, "
        "repayment, private_round."
    )
    action = serializers.CharField(help_text="created, changed, deleted, or moved.")
    object = serializers.CharField(help_text="The object, as a reader names it.")
    title = serializers.CharField()
    changes = FieldChangeSerializer(many=True)
    comment = serializers.CharField()


class HistoryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = HistoryEntrySerializer(many=True)


class ProjectHistoryView(APIView):
    """Every change to the project, its partners and their budgets, its contacts, submissions
    and milestones, and its moves along the lifecycle: newest first, 100 per page. For those
    who see the project's confidential part; a pole's deliberation notes for its staff only."""

    @extend_schema(
        operation_id="projects_history",
        parameters=[OpenApiParameter("page", OpenApiTypes.INT, description="From 1.")],
        responses=HistoryPageSerializer,
    )
    def get(self, request, pk):
        project = permissions.get_project_or_404(
            request.user, pk, need=permissions.may_view_confidential
        )
        page = project_history(
            request.user, project, page=page_number(request.query_params.get("page"))
        )
        url = reverse("project-history", args=[project.pk], request=request)
        return Response(
            {
                "next": f"{url}?page={page.next_page_number}" if page.has_next else None,
                "previous": f"{url}?page={page.number - 1}" if page.number > 1 else None,
                "results": HistoryEntrySerializer(page.entries, many=True).data,
            }
        )
