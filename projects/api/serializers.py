from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import MoneyField, VersionField
from portal.models import Organisation, Pole, Theme
from projects import permissions
from projects.models import COST_FIELDS, Contact, Partner, Project, State, Submission


class SubmissionSerializer(serializers.ModelSerializer):
    pole_name = serializers.CharField(source="pole.name", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "pole",
            "pole_name",
            "submitted_at",
            "decision",
            "decided_on",
            "committee",
            "opinion",
            "conditions",
        ]


class ContactSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.get_full_name", read_only=True)

    class Meta:
        model = Contact
        fields = ["person", "name", "role"]


class PartnerSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.legal_name", read_only=True)
    # Read strictly (portal.api.fields): "1e9", "NaN" or "1.234,56" answer 400.
    personnel_costs = MoneyField(allow_zero=True, required=False)
    equipment_costs = MoneyField(allow_zero=True, required=False)
    subcontracting_costs = MoneyField(allow_zero=True, required=False)
    other_costs = MoneyField(allow_zero=True, required=False)
    contacts = ContactSerializer(source="contact_rows", many=True, read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "project",
            "organisation",
            "organisation_name",
            "role",
            *COST_FIELDS,
            "budget",
            "version",
            "contacts",
        ]
        read_only_fields = ["budget"]
        extra_kwargs = {
            "version": {
                "read_only": False,
                "required": False,
                "help_text": "On update, the version you edited: a change saved meanwhile "
                "by someone else makes the update fail with 409 and the newer values.",
            }
        }
        # Uniqueness and the single coordinator are the model's rules, reported by the service.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "project" in self.fields:
            from portal.permissions import visible_organisations

            self.fields["project"].queryset = permissions.projects_with(
                request.user, permissions.CHANGE
            )
            self.fields["organisation"].queryset = visible_organisations(request.user)


class PartnerUpdateSerializer(PartnerSerializer):
    class Meta(PartnerSerializer.Meta):
        read_only_fields = ["project", "organisation", "budget"]


class ProjectSerializer(serializers.ModelSerializer):
    """What every signed-in member may read of a labelled project."""

    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    poles = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    access = serializers.SerializerMethodField(
        help_text="“full” for the consortium, its poles, funders and expert; “summary” otherwise."
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "acronym",
            "title",
            "public_summary",
            "themes",
            "poles",
            "trl_start",
            "trl_target",
            "start_date",
            "end_date",
            "state",
            "labelled_on",
            "access",
        ]

    def get_access(self, project) -> str:
        return (
            "full"
            if permissions.may_view_confidential(self.context["request"].user, project)
            else "summary"
        )


class ProjectDetailSerializer(ProjectSerializer):
    """The whole project, for those who may see its confidential part."""

    partners = PartnerSerializer(many=True, read_only=True)
    submissions = SubmissionSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "description",
            "partners",
            "submissions",
            "allowed_transitions",
        ]

    def get_allowed_transitions(self, project) -> list[str]:
        return [s.value for s in permissions.transitions_for(self.context["request"].user, project)]

    @extend_schema_field({"type": "string", "enum": ["full"]})
    def get_access(self, project):
        return super().get_access(project)


class ProjectSummarySerializer(ProjectSerializer):
    """A project seen by its public summary only: the document tells it from the full one
    (``ProjectDetailSerializer``) by ``access``."""

    @extend_schema_field({"type": "string", "enum": ["summary"]})
    def get_access(self, project):
        return super().get_access(project)


class ProjectWriteSerializer(serializers.ModelSerializer):
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(),
        write_only=True,
        help_text="One of the caller's organisations; the caller becomes its coordinator contact.",
    )
    themes = serializers.PrimaryKeyRelatedField(
        queryset=Theme.objects.all(), many=True, required=False
    )
    version = VersionField()

    class Meta:
        model = Project
        fields = [
            "id",
            "coordinator",
            "acronym",
            "title",
            "public_summary",
            "description",
            "themes",
            "trl_start",
            "trl_target",
            "start_date",
            "end_date",
            "version",
        ]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["coordinator"].queryset = Organisation.objects.filter(
                affiliations__person=request.user
            )
        if self.instance is not None:
            self.fields.pop("coordinator")


class TransitionSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="The state to move to: " + ", ".join(State.values))
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitSerializer(serializers.Serializer):
    poles = serializers.PrimaryKeyRelatedField(
        queryset=Pole.objects.all(), many=True, allow_empty=False
    )
