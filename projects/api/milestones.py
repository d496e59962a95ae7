"""Milestones and deliverables in the API: the same permissions and services as the page."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.fields import VersionField
from projects import permissions, services
from projects.models import Milestone, Partner


class MilestoneSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(
        source="partner.organisation.legal_name", read_only=True, default=None, allow_null=True
    )
    is_overdue = serializers.BooleanField(read_only=True)
    version = VersionField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "kind",
            "title",
            "description",
            "partner",
            "partner_name",
            "due_date",
            "done_on",
            "is_overdue",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            if not self.fields["project"].read_only:
                # Milestones are added by the leaders: other projects do not exist here.
                self.fields["project"].queryset = permissions.projects_with(
                    user, permissions.CHANGE
                )
            self.fields["partner"].queryset = Partner.objects.filter(
                project__in=permissions.projects_with(user, permissions.VIEW)
            )


class MilestoneUpdateSerializer(MilestoneSerializer):
    class Meta(MilestoneSerializer.Meta):
        read_only_fields = ["project"]


class CompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, help_text="Today when left out.")


class MilestoneViewSet(viewsets.ModelViewSet):
    """Milestones and deliverables of the projects whose confidential part the caller may see.
    The leader adds, assigns and deletes them; a partner's contacts change and complete those
    their partner is responsible for."""

    filterset_fields = ["project", "partner", "kind"]

    def get_queryset(self):
        return (
            permissions.visible_milestones(self.request.user)
            .select_related("partner__organisation")
            .order_by("project_id", "due_date", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return MilestoneUpdateSerializer
        return MilestoneSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        project = data.pop("project")
        if not permissions.may_manage_milestones(self.request.user, project):
            raise Http404
        serializer.instance = services.add_milestone(project, **data)

    def perform_update(self, serializer):
        milestone = serializer.instance
        user = self.request.user
        if not permissions.may_change_milestone(user, milestone):
            raise Http404
        data = dict(serializer.validated_data)
        if (
            "partner" in data
            and data["partner"] != milestone.partner
            and not permissions.may_manage_milestones(user, milestone.project)
        ):
            raise ValidationError(
                {"partner": _("Only the consortium leader assigns milestones to partners.")}
            )
        services.change_milestone(milestone, expected_version=data.pop("version", None), **data)

    def perform_destroy(self, instance):
        if not permissions.may_manage_milestones(self.request.user, instance.project):
            raise Http404
        services.delete_milestone(instance)

    @extend_schema(request=CompleteSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark the milestone done (today unless ``done_on`` says otherwise)."""
        milestone = self.get_object()
        if not permissions.may_change_milestone(request.user, milestone):
            raise Http404
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.complete_milestone(milestone, serializer.validated_data.get("done_on"))
        return Response(self.get_serializer(milestone).data)
