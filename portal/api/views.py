from django.http import Http404
from rest_framework import mixins, viewsets

from portal import permissions, services
from portal.models import Organisation

from .serializers import OrganisationSerializer, PoleSerializer


class PoleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PoleSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return permissions.visible_poles(self.request.user).prefetch_related("themes")


class OrganisationViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Organisations the caller may see; anyone signed in may create one (and becomes its
    admin); only its admins may change it."""

    serializer_class = OrganisationSerializer
    filterset_fields = ["category", "region", "country"]

    def get_queryset(self):
        return permissions.visible_organisations(self.request.user).order_by("legal_name", "pk")

    def get_object(self):
        organisation = super().get_object()
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not (
            permissions.may_change_organisation(self.request.user, organisation)
        ):
            raise Http404
        return organisation

    def perform_create(self, serializer):
        organisation = Organisation(**serializer.validated_data)
        serializer.instance = services.create_organisation(organisation, admin=self.request.user)

    def perform_update(self, serializer):
        organisation = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(organisation, field, value)
        organisation.full_clean()
        organisation.save()
