from django.http import Http404
from rest_framework import mixins, viewsets
from rest_framework.response import Response

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

    def create(self, request, *args, **kwargs):
        """A similar name or a taken SIREN answers 400 with the ``duplicates`` the caller may
        see (``id``, ``name``); a similar name is accepted with ``confirm_distinct``."""
        try:
            return super().create(request, *args, **kwargs)
        except services.DuplicateOrganisation as error:
            detail = dict(error.message_dict)
            detail["duplicates"] = [
                {"id": o.pk, "name": o.legal_name}
                for o in permissions.with_visibility(request.user, error.duplicates)
                if o.visible
            ]
            return Response(detail, status=400)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        confirm_distinct = data.pop("confirm_distinct", False)
        user = self.request.user
        serializer.instance = services.create_organisation(
            Organisation(**data),
            admin=user,
            confirm_distinct=confirm_distinct,
            among=permissions.visible_organisations(user),
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("confirm_distinct", None)
        services.update_organisation(
            serializer.instance, expected_version=data.pop("version", None), **data
        )
