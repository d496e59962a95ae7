"""Labelling in the API: committee sessions and their agendas, decisions, expert opinions.
The same permission functions and services as the pages."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.fields import VersionField
from portal.models import Person
from portal.modelutils import StaleEdit
from portal.permissions import staff_poles
from projects import permissions, services
from projects.models import CommitteeSession, ExpertAssignment, Submission

from .serializers import SubmissionSerializer

DECISIONS = [Submission.Decision.LABELLED, Submission.Decision.REJECTED]


# --- Committee sessions -------------------------------------------------------------------


class AgendaItemSerializer(serializers.ModelSerializer):
    project_acronym = serializers.CharField(source="project.acronym", read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "project", "project_acronym", "decision", "decided_on"]
        read_only_fields = fields


class CommitteeSessionSerializer(serializers.ModelSerializer):
    agenda = AgendaItemSerializer(
        source="visible_agenda",
        many=True,
        read_only=True,
        help_text="The submissions on the agenda (use the agenda action to change it).",
    )
    version = VersionField()

    class Meta:
        model = CommitteeSession
        fields = ["id", "pole", "name", "date", "location", "notes", "agenda", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["pole"].queryset = staff_poles(request.user)
        if self.instance is not None:
            self.fields["pole"].read_only = True  # a session stays with its pole


class AgendaSerializer(serializers.Serializer):
    submission = serializers.PrimaryKeyRelatedField(
        queryset=Submission.objects.none(),
        help_text="A submission to the session's pole, awaiting its decision.",
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and session is not None:
            self.fields["submission"].queryset = permissions.staff_submissions(request.user).filter(
                pole=session.pole
            )


class CommitteeSessionViewSet(viewsets.ModelViewSet):
    """Sessions of the labelling committees of the poles the caller works for as staff; other
    poles' sessions do not exist for them. A session with recorded decisions stays."""

    serializer_class = CommitteeSessionSerializer
    filterset_fields = ["pole"]

    def get_queryset(self):
        agenda = Submission.objects.exclude(decision=Submission.Decision.WITHDRAWN).select_related(
            "project"
        )
        return (
            permissions.committee_sessions(self.request.user)
            .prefetch_related(Prefetch("agenda", queryset=agenda, to_attr="visible_agenda"))
            .order_by("-date", "-pk")
        )

    def _fresh(self, session):
        return self.get_queryset().get(pk=session.pk)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = self._fresh(services.create_session(data.pop("pole"), **data))

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        try:
            session = services.update_session(
                serializer.instance, expected_version=data.pop("version", None), **data
            )
        except StaleEdit as error:
            error.current = self._fresh(error.current)  # with its agenda, for the 409
            raise
        serializer.instance = self._fresh(session)

    def perform_destroy(self, instance):
        services.delete_session(instance)

    @extend_schema(request=AgendaSerializer, responses=CommitteeSessionSerializer)
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        """Put a submission awaiting the pole's decision on the session's agenda."""
        session = self.get_object()
        serializer = AgendaSerializer(
            data=request.data, session=session, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.schedule(serializer.validated_data["submission"], session)
        return Response(self.get_serializer(self._fresh(session)).data)

    @extend_schema(request=None, responses=CommitteeSessionSerializer)
    @action(detail=True, methods=["delete"], url_path=r"agenda/(?P<submission_pk>[0-9]+)")
    def unschedule(self, request, pk=None, submission_pk=None):
        """Take a submission awaiting the decision off the session's agenda."""
        session = self.get_object()
        submission = get_object_or_404(
            session.agenda.exclude(decision=Submission.Decision.WITHDRAWN), pk=submission_pk
        )
        services.unschedule(submission)
        return Response(self.get_serializer(self._fresh(session)).data)


# --- Submissions and decisions ------------------------------------------------------------


class SubmissionDetailSerializer(SubmissionSerializer):
    decided_by_name = serializers.CharField(
        source="decided_by", read_only=True, default=None, allow_null=True
    )
    staff_notes = serializers.SerializerMethodField(
        help_text="The deliberation notes, for the staff of the deciding pole only; null otherwise."
    )

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "project", "decided_by_name", "staff_notes"]

    def get_staff_notes(self, submission) -> str | None:
        if submission.pole_id in self.context["own_poles"]:
            return submission.staff_notes
        return None


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[(d.value, d.label) for d in DECISIONS])
    session = serializers.PrimaryKeyRelatedField(
        queryset=CommitteeSession.objects.none(),
        required=False,
        help_text="The committee session deciding: its name and date fill committee and "
        "decided_on when they are left out.",
    )
    decided_on = serializers.DateField(required=False, help_text="Today when left out.")
    committee = serializers.CharField(required=False, allow_blank=True, max_length=200)
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    staff_notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Seen by the pole's staff only, even on a co-labelled project.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["session"].queryset = permissions.committee_sessions(request.user)


class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Submissions of the projects whose confidential part the caller may see, with each
    pole's decision. The staff of a pole record their pole's decision."""

    serializer_class = SubmissionDetailSerializer
    filterset_fields = ["project", "pole", "decision"]

    def get_queryset(self):
        projects = permissions.projects_with(self.request.user, permissions.VIEW)
        return (
            Submission.objects.filter(project__in=projects)
            .select_related("pole", "decided_by")
            .order_by("submitted_at", "pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["own_poles"] = set(staff_poles(self.request.user).values_list("pk", flat=True))
        return context

    @extend_schema(request=DecisionSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Record the pole's labelling decision: labelled or rejected, with its opinion and
        conditions. The first label labels the project."""
        submission = permissions.get_staff_submission_or_404(request.user, pk)
        if not permissions.may_label(request.user, submission.project):
            raise Http404
        serializer = DecisionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        session = data.pop("session", None)
        if session is not None:
            if session.pole_id != submission.pole_id:
                raise ValidationError(
                    {"session": _("The session must be one of the deciding pole's.")}
                )
            data.setdefault("committee", session.name)
            data.setdefault("decided_on", session.date)
        services.record_decision(submission, data.pop("decision"), by=request.user, **data)
        submission = self.get_queryset().get(pk=submission.pk)
        return Response(self.get_serializer(submission).data)


# --- Expert opinions ----------------------------------------------------------------------


class ExpertAssignmentSerializer(serializers.ModelSerializer):
    project_acronym = serializers.CharField(source="project.acronym", read_only=True)
    expert_name = serializers.CharField(source="expert", read_only=True)

    class Meta:
        model = ExpertAssignment
        fields = [
            "id",
            "project",
            "project_acronym",
            "pole",
            "expert",
            "expert_name",
            "requested_by",
            "requested_at",
            "opinion",
            "opinion_given_at",
            "closed_at",
        ]
        read_only_fields = fields


class AskExpertSerializer(serializers.Serializer):
    submission = serializers.PrimaryKeyRelatedField(
        queryset=Submission.objects.none(),
        help_text="A submission to the caller's pole, awaiting its decision.",
    )
    expert_email = serializers.EmailField(help_text="The expert needs an account on the portal.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["submission"].queryset = permissions.staff_submissions(request.user)

    def validate_expert_email(self, value):
        expert = Person.objects.filter(email__iexact=value, is_active=True).first()
        if expert is None:
            raise serializers.ValidationError(
                _("Nobody has an account with this e-mail address: the expert signs up first.")
            )
        return expert


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField()


class ExpertAssignmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Experts asked for an opinion on a project awaiting a pole's decision. The pole's staff
    ask them and read their opinions (never another pole's); an expert sees their own
    assignment and gives or amends their opinion until the pole decides."""

    filterset_fields = ["project", "pole"]

    def get_queryset(self):
        return (
            permissions.visible_assignments(self.request.user)
            .select_related("project", "expert")
            .order_by("-requested_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return AskExpertSerializer
        return ExpertAssignmentSerializer

    @extend_schema(request=AskExpertSerializer, responses={201: ExpertAssignmentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AskExpertSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        submission = serializer.validated_data["submission"]
        assignment = services.assign_expert(
            submission.project,
            submission.pole,
            serializer.validated_data["expert_email"],
            requested_by=request.user,
        )
        assignment = self.get_queryset().get(pk=assignment.pk)
        return Response(ExpertAssignmentSerializer(assignment).data, status=201)

    @extend_schema(request=OpinionSerializer, responses=ExpertAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """The expert's opinion, given or amended until the pole decides."""
        assignment = permissions.open_assignment_or_404(request.user, pk)
        serializer = OpinionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.give_opinion(assignment, serializer.validated_data["opinion"], by=request.user)
        return Response(ExpertAssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)
