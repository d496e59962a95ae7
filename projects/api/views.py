from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.models import Pole
from projects import permissions, services
from projects.filters import ProjectFilter
from projects.models import Partner

from .serializers import (
    PartnerSerializer,
    PartnerUpdateSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    ProjectSummarySerializer,
    ProjectWriteSerializer,
    SubmitSerializer,
    TransitionSerializer,
)


class ProjectViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Projects as each caller may see them: in full for their consortium, poles, funders
    and expert; by their public summary once labelled; not at all otherwise."""

    filterset_class = ProjectFilter

    def get_queryset(self):
        user = self.request.user
        return (
            permissions.with_access(permissions.visible_projects(user), user)
            .prefetch_related(Prefetch("poles", queryset=Pole.objects.order_by("name")), "themes")
            .order_by("acronym", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ProjectWriteSerializer
        return ProjectSerializer

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = permissions.get_project_or_404(self.request.user, self.kwargs["pk"])
        return self._object

    @extend_schema(
        responses=PolymorphicProxySerializer(
            component_name="ProjectFullOrSummary",
            serializers={"full": ProjectDetailSerializer, "summary": ProjectSummarySerializer},
            resource_type_field_name="access",
        )
    )
    def retrieve(self, request, *args, **kwargs):
        """The project in full for those who may see it; its public summary for the others."""
        project = self.get_object()
        serializer_class = ProjectSummarySerializer
        if permissions.may_view_confidential(request.user, project):
            serializer_class = ProjectDetailSerializer
            project = (
                type(project)
                .objects.prefetch_related(
                    "partners__organisation", "partners__contact_rows__person", "submissions__pole"
                )
                .get(pk=project.pk)
            )
        return Response(serializer_class(project, context=self.get_serializer_context()).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        coordinator, themes = data.pop("coordinator"), data.pop("themes", [])
        serializer.instance = services.create_project(
            by=self.request.user, coordinator=coordinator, themes=themes, **data
        )

    def perform_update(self, serializer):
        project = serializer.instance
        if not permissions.may_change(self.request.user, project):
            raise Http404
        data = dict(serializer.validated_data)
        services.update_project(project, expected_version=data.pop("version", None), **data)

    @extend_schema(request=TransitionSerializer, responses=ProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the project along its lifecycle (labelling decisions excepted)."""
        project = permissions.get_project_or_404(
            request.user, pk, need=permissions.may_view_confidential
        )
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = serializer.validated_data["state"]
        if not permissions.may_move(request.user, project, target):
            raise Http404
        services.change_state(
            project, target, by=request.user, comment=serializer.validated_data["comment"]
        )
        return Response(ProjectDetailSerializer(project, context={"request": request}).data)

    @extend_schema(request=SubmitSerializer, responses=ProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft to one or several poles for labelling."""
        project = permissions.get_project_or_404(request.user, pk, need=permissions.may_change)
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.submit_project(project, serializer.validated_data["poles"], by=request.user)
        return Response(ProjectDetailSerializer(project, context={"request": request}).data)


class PartnerViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Partners of the projects whose consortium the caller may see; the leader adds them,
    sets their roles (naming another coordinator hands the coordination over) and removes
    them; each partner's contacts keep their own row's budget."""

    filterset_fields = ["project", "role"]

    def get_queryset(self):
        projects = permissions.projects_with(self.request.user, permissions.VIEW)
        return (
            Partner.objects.filter(project__in=projects)
            .select_related("organisation")
            .prefetch_related("contact_rows__person")
            .order_by("project_id", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PartnerUpdateSerializer
        return PartnerSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.add_partner(data.pop("project"), **data)

    def perform_update(self, serializer):
        partner = serializer.instance
        if not permissions.may_change_partner(self.request.user, partner):
            raise Http404
        data = dict(serializer.validated_data)
        role = data.pop("role", partner.role)
        if role != partner.role and not permissions.may_change_partner_role(
            self.request.user, partner
        ):
            raise Http404
        with transaction.atomic():
            services.change_partner(partner, expected_version=data.pop("version", None), **data)
            if role != partner.role:
                services.change_partner_role(partner, role)

    def perform_destroy(self, instance):
        if not permissions.may_change(self.request.user, instance.project):
            raise Http404
        services.remove_partner(instance)
