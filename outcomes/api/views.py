"""Market launches in the API: the same permissions (``outcomes.permissions``) and services as
the project page's section.

Launches are listed to whoever sees their project's confidential part, with their revenues
by year; the leaders record any partner's, a partner's contacts their own partner's, and
they change and delete them. Revenues are recorded through ``/launch-revenues/`` by the same
people. What a person may not see or change is not found (404); a bad value is a 400 with the
field's error; an update over a newer version of a launch a 409 with the newer values."""

from django.http import Http404
from rest_framework import mixins, viewsets

from projects import permissions as project_permissions

from .. import permissions, services
from ..launch_views import with_details
from ..models import LaunchRevenue
from .filters import LaunchFilter, LaunchRevenueFilter
from .serializers import (
    LaunchRevenueSerializer,
    LaunchRevenueUpdateSerializer,
    LaunchSerializer,
    LaunchUpdateSerializer,
)

WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]
CHANGES = ("update", "partial_update", "destroy")


def sent_pk(value):
    """The primary key sent, or None when there is none to read (the serializer says why)."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _changeable(user, launch):
    launch.project = launch.partner.project  # its permissions, read once
    if not permissions.may_change_launch(user, launch):
        raise Http404
    return launch


class LaunchViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Market launches: a product, service, process or licence that came out of a project
    (and possibly others), launched by one of its partners, with its markets (ISO country
    codes), the TRL reached and its revenue by year (read-only here: see
    ``/launch-revenues/``). Filter with ``?project=``. Send ``version`` with a change to be
    told (409) when someone else changed the launch meanwhile."""

    filterset_class = LaunchFilter
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        launches = permissions.visible_launches(self.request.user)
        return with_details(launches, self.request.user).order_by(
            "project_id", "-launch_date", "pk"
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return LaunchUpdateSerializer
        return LaunchSerializer

    def get_object(self):
        launch = super().get_object()
        if self.action in CHANGES:
            _changeable(self.request.user, launch)  # before reading the body
        return launch

    def create(self, request, *args, **kwargs):
        pk = sent_pk(request.data.get("project"))
        if pk is not None:  # a project one may not record launches on is not found
            project_permissions.get_project_or_404(
                request.user, pk, need=permissions.may_record_launch
            )
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        launch = services.record_launch(
            project=data.pop("project"),
            partner=data.pop("partner"),
            other_projects=data.pop("other_projects", ()),
            by=self.request.user,
            **data,
        )
        serializer.instance = self.get_queryset().get(pk=launch.pk)

    def perform_update(self, serializer):
        launch, user = serializer.instance, self.request.user
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        other_projects = data.pop("other_projects", None)
        if other_projects is not None:
            other_projects = [*other_projects, *permissions.kept_other_projects(user, launch)]
        services.change_launch(
            launch, expected_version=version, by=user, other_projects=other_projects, **data
        )
        serializer.instance = self.get_queryset().get(pk=launch.pk)

    def perform_destroy(self, instance):
        services.delete_launch(instance, by=self.request.user)


class LaunchRevenueViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The revenue of a launch by year, in euros. Recording a year the launch already has
    replaces its amount; a change replaces the amount (to move it to another year, delete it
    and record the other year). A year before the launch is refused, as is a currency other
    than "EUR"."""

    filterset_class = LaunchRevenueFilter
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        launches = permissions.visible_launches(self.request.user)
        return (
            LaunchRevenue.objects.filter(launch__in=launches)
            .select_related("launch__partner__project")
            .order_by("launch_id", "year", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return LaunchRevenueUpdateSerializer
        return LaunchRevenueSerializer

    def get_object(self):
        revenue = super().get_object()
        if self.action in CHANGES:
            _changeable(self.request.user, revenue.launch)  # before reading the body
        return revenue

    def create(self, request, *args, **kwargs):
        pk = sent_pk(request.data.get("launch"))
        if pk is not None:  # a launch one may not change is not found
            launch = (
                permissions.visible_launches(request.user)
                .select_related("partner__project")
                .filter(pk=pk)
                .first()
            )
            if launch is None:
                raise Http404
            _changeable(request.user, launch)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("currency", None)
        serializer.instance = services.set_launch_revenue(
            data.pop("launch"), by=self.request.user, **data
        )

    def perform_update(self, serializer):
        revenue = serializer.instance
        amount = serializer.validated_data.get("amount", revenue.amount)
        serializer.instance = services.set_launch_revenue(
            revenue.launch, year=revenue.year, amount=amount, by=self.request.user
        )

    def perform_destroy(self, instance):
        services.delete_launch_revenue(instance, by=self.request.user)
