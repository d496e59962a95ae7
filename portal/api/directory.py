"""The member directory in the API: the same search, filters and visibility as the page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from portal import permissions
from portal.directory import PROJECTS_SHOWN, attach_public_projects, naf_section, sector_label
from portal.filters import DirectoryFilter
from portal.models import Organisation


class PublicProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    acronym = serializers.CharField()
    title = serializers.CharField()


class DirectoryEntrySerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    region_label = serializers.CharField(source="get_region_display", read_only=True)
    sector = serializers.SerializerMethodField(help_text="The NAF section letter (A to U).")
    sector_label = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField(
        help_text=f"The labelled projects it is in, the first {PROJECTS_SHOWN} by acronym."
    )
    projects_total = serializers.SerializerMethodField(
        help_text="How many labelled projects it is in."
    )
    # Read-only fields lose allow_blank: without it the document says a URI, and "" is not one.
    website = serializers.URLField(read_only=True, allow_blank=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "legal_name",
            "category",
            "category_label",
            "region",
            "region_label",
            "city",
            "country",
            "naf_code",
            "sector",
            "sector_label",
            "competences",
            "keywords",
            "description",
            "website",
            "directory_consent",
            "projects",
            "projects_total",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_sector(self, organisation):
        return naf_section(organisation.naf_code)

    @extend_schema_field(OpenApiTypes.STR)
    def get_sector_label(self, organisation):
        return sector_label(organisation.naf_code)

    @extend_schema_field(PublicProjectSerializer(many=True))
    def get_projects(self, organisation):
        return PublicProjectSerializer(organisation.public_projects, many=True).data

    @extend_schema_field(OpenApiTypes.INT)
    def get_projects_total(self, organisation):
        return organisation.public_projects_total


class DirectoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The member directory: active members of a pole the caller may see. ``q`` searches the
    name, keywords, competences, city and description, accents and case ignored, every word
    must match; ``region``, ``sector`` (NAF section letter), ``category``, ``theme`` and
    ``pole`` (ids) narrow it."""

    serializer_class = DirectoryEntrySerializer
    filterset_class = DirectoryFilter

    def get_queryset(self):
        return permissions.directory_organisations(self.request.user).order_by("legal_name", "pk")

    def paginate_queryset(self, queryset):
        """A page of entries, each with its labelled projects (one query for the page)."""
        return attach_public_projects(super().paginate_queryset(queryset))
