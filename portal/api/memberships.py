"""Memberships in the API: applications and their decisions, memberships, fee schedules, fee
calls and payments. The same permission functions and services as the pages: an
organisation's admins apply and see their own; the pole's staff decide and manage fees."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404 too
from rest_framework.response import Response

from portal import permissions, services
from portal.figures import CallStatus, with_balance
from portal.models import (
    FeeCall,
    FeeSchedule,
    Membership,
    MembershipApplication,
    Payment,
    Person,
    Pole,
)

from .fields import MoneyField, VersionField

# --- Applications -------------------------------------------------------------------------


class ApplicationSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.legal_name", read_only=True)
    pole_name = serializers.CharField(source="pole.name", read_only=True)
    # Blank accepted here: the service refuses an empty dossier with the pages' messages.
    activities = serializers.CharField(allow_blank=True, required=False, default="")
    needs = serializers.CharField(allow_blank=True, required=False, default="")
    project_idea = serializers.CharField(allow_blank=True, required=False, default="")
    people = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Person.objects.all(),
        help_text="People of the organisation to attach to the membership.",
    )
    version = VersionField()

    class Meta:
        model = MembershipApplication
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "pole",
            "pole_name",
            "activities",
            "needs",
            "project_idea",
            "people",
            "status",
            "staff_comment",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "version",
        ]
        read_only_fields = [
            "status",
            "staff_comment",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # One applies for an organisation one administers: no other exists here.
            self.fields["organisation"].queryset = permissions.administered_organisations(
                request.user
            )
            self.fields["pole"].queryset = permissions.visible_poles(request.user)
            # The people of the organisations one administers: nobody else is named here.
            self.fields["people"].child_relation.queryset = Person.objects.filter(
                affiliations__organisation__in=permissions.administered_organisations(request.user)
            ).distinct()
        if self.instance is not None:
            self.fields["organisation"].read_only = True
            self.fields["pole"].read_only = True


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class ApplicationViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Membership applications: those of the organisations the caller administers, and those
    to the poles the caller works for. Admins apply and complete the dossier until the pole
    decides (an application awaiting more information goes back to the pole when changed);
    the pole's staff ask for information, accept or reject."""

    serializer_class = ApplicationSerializer
    filterset_fields = ["pole", "organisation", "status"]

    def get_queryset(self):
        return (
            permissions.visible_applications(self.request.user)
            .select_related("organisation", "pole")
            .prefetch_related("people")
            .order_by("-submitted_at", "-pk")
        )

    def _fresh(self, application):
        return self.get_queryset().get(pk=application.pk)

    def perform_create(self, serializer):
        data = serializer.validated_data
        application = services.apply_for_membership(
            data["pole"],
            data["organisation"],
            by=self.request.user,
            activities=data["activities"],
            needs=data["needs"],
            project_idea=data["project_idea"],
            people=data.get("people", []),
        )
        serializer.instance = self._fresh(application)

    def perform_update(self, serializer):
        application = serializer.instance
        data = serializer.validated_data
        application = services.update_application(
            application,
            by=self.request.user,
            activities=data.get("activities", application.activities),
            needs=data.get("needs", application.needs),
            project_idea=data.get("project_idea", application.project_idea),
            people=data["people"] if "people" in data else application.people.all(),
            expected_version=data.get("version"),
        )
        serializer.instance = self._fresh(application)

    def get_object(self):
        application = super().get_object()
        if self.action in ("update", "partial_update") and not (
            permissions.own_applications(self.request.user).filter(pk=application.pk).exists()
        ):
            raise Http404
        return application

    def _staff_application(self, pk):
        return get_object_or_404(
            permissions.staff_applications(self.request.user).select_related(
                "organisation", "pole"
            ),
            pk=pk,
        )

    @extend_schema(request=CommentSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        """Ask the applicant for more information (``comment``, required)."""
        application = self._staff_application(pk)
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.request_information(
            application, by=request.user, comment=serializer.validated_data["comment"]
        )
        return Response(self.get_serializer(self._fresh(application)).data)

    @extend_schema(request=CommentSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept: the membership starts today and runs to the end of the year."""
        application = self._staff_application(pk)
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.accept_application(
            application, by=request.user, comment=serializer.validated_data["comment"]
        )
        return Response(self.get_serializer(self._fresh(application)).data)

    @extend_schema(request=ReasonSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Refuse, with the ``reason`` the applicant reads (required)."""
        application = self._staff_application(pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reject_application(
            application, by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(self._fresh(application)).data)


# --- Memberships ----------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.legal_name", read_only=True)
    pole_name = serializers.CharField(source="pole.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "pole",
            "pole_name",
            "status",
            "status_override",
            "start_date",
            "end_date",
        ]
        read_only_fields = fields


class MembershipStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            Membership.Status.NEW,
            Membership.Status.CURRENT,
            Membership.Status.GRACE,
            Membership.Status.EXPIRED,
        ],
        allow_null=True,
        help_text="The status set by hand; null: the status follows the dates again.",
    )


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Memberships: the caller's organisations' (as their admin), and every one of the poles
    the caller works for. Their status follows the dates unless the pole's staff set it."""

    serializer_class = MembershipSerializer
    filterset_fields = ["pole", "organisation", "status"]

    def get_queryset(self):
        return (
            permissions.visible_memberships(self.request.user)
            .select_related("organisation", "pole")
            .order_by("organisation__legal_name", "pole__name", "pk")
        )

    @extend_schema(request=MembershipStatusSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Staff set the status by hand, or let the dates decide again (``null``)."""
        membership = get_object_or_404(
            permissions.staff_memberships(request.user).select_related("organisation", "pole"),
            pk=pk,
        )
        serializer = MembershipStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.set_membership_status(
            membership, serializer.validated_data["status"] or None, by=request.user
        )
        return Response(self.get_serializer(membership).data)


# --- Fee schedules ------------------------------------------------------------------------


class FeeScheduleSerializer(serializers.ModelSerializer):
    amount = MoneyField(allow_zero=True, help_text="The yearly fee in euros.")
    version = VersionField()

    class Meta:
        model = FeeSchedule
        fields = ["id", "pole", "year", "category", "min_headcount", "max_headcount", "amount"]
        fields += ["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["pole"].queryset = permissions.staff_poles(request.user)


class FeeScheduleViewSet(viewsets.ModelViewSet):
    """The fee schedules of the poles the caller works for: per year and category of member,
    optionally by headcount band. The bands of one category may not overlap."""

    serializer_class = FeeScheduleSerializer
    filterset_fields = ["pole", "year", "category"]

    def get_queryset(self):
        return permissions.staff_fee_schedules(self.request.user).order_by(
            "pole_id", "-year", "category", "min_headcount"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.save_fee_schedule(FeeSchedule(**data))

    def perform_update(self, serializer):
        row, data = serializer.instance, dict(serializer.validated_data)
        version = data.pop("version", None)
        for field, value in data.items():
            setattr(row, field, value)
        services.save_fee_schedule(row, expected_version=version)

    def perform_destroy(self, instance):
        services.delete_fee_schedule(instance)


# --- Fee calls and payments -----------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    recorded_by_name = serializers.CharField(
        source="recorded_by", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Payment
        fields = ["id", "fee_call", "paid_on", "amount", "reference", "recorded_by_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Payments are recorded by the staff of the fee call's pole: no other call exists.
            self.fields["fee_call"].queryset = permissions.staff_fee_calls(request.user)


class FeeCallSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="membership.organisation_id", read_only=True)
    organisation_name = serializers.CharField(
        source="membership.organisation.legal_name", read_only=True
    )
    pole = serializers.IntegerField(source="membership.pole_id", read_only=True)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    payment_status = serializers.ChoiceField(choices=CallStatus.choices, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = FeeCall
        fields = [
            "id",
            "membership",
            "organisation",
            "organisation_name",
            "pole",
            "year",
            "amount",
            "issued_on",
            "due_date",
            "paid",
            "remaining",
            "payment_status",
            "reminded_on",
            "payments",
        ]
        read_only_fields = fields


class IssueSerializer(serializers.Serializer):
    pole = serializers.PrimaryKeyRelatedField(queryset=Pole.objects.none())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    due_date = serializers.DateField(required=False, help_text="30 days from today when left out.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["pole"].queryset = permissions.staff_poles(request.user)


class SkippedSerializer(serializers.Serializer):
    membership = serializers.IntegerField()
    organisation_name = serializers.CharField()
    reason = serializers.CharField()


class IssuedSerializer(serializers.Serializer):
    created = FeeCallSerializer(many=True)
    skipped = SkippedSerializer(many=True)


class FeeCallViewSet(viewsets.ReadOnlyModelViewSet):
    """Fee calls with what is paid and remains due: an organisation's admins see their own,
    a pole's staff every one of their pole. ``payment_status``: due, partial, paid, overdue."""

    serializer_class = FeeCallSerializer

    def get_queryset(self):
        calls = with_balance(permissions.visible_fee_calls(self.request.user))
        params = self.request.query_params
        for name, lookup in [("pole", "membership__pole"), ("year", "year")]:
            value = params.get(name, "")
            if value.isdigit():
                calls = calls.filter(**{lookup: value})
        if params.get("payment_status") in CallStatus.values:
            calls = calls.filter(payment_status=params["payment_status"])
        return (
            calls.select_related("membership__organisation")
            .prefetch_related(
                Prefetch(
                    "payments",
                    queryset=Payment.objects.select_related("recorded_by").order_by("pk"),
                )
            )
            .order_by("-year", "membership__organisation__legal_name", "pk")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("pole", int),
            OpenApiParameter("year", int),
            OpenApiParameter("payment_status", str, enum=CallStatus.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IssueSerializer, responses={201: IssuedSerializer})
    @action(detail=False, methods=["post"])
    def issue(self, request):
        """Call the year's fee of every active member of the pole not called yet; members
        the schedule has no fee for are ``skipped``, with the reason."""
        serializer = IssueSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        created, skipped = services.issue_fee_calls(
            data["pole"], data["year"], due_date=data.get("due_date")
        )
        calls = self.get_queryset().filter(pk__in=[c.pk for c in created])
        return Response(
            {
                "created": FeeCallSerializer(calls, many=True).data,
                "skipped": [
                    {
                        "membership": m.pk,
                        "organisation_name": m.organisation.legal_name,
                        "reason": reason,
                    }
                    for m, reason in skipped
                ],
            },
            status=status.HTTP_201_CREATED,
        )


class PaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Payments of the fee calls the caller sees. The staff of the call's pole record them:
    partial payments are accepted, one larger than what remains due is refused (400)."""

    serializer_class = PaymentSerializer
    filterset_fields = ["fee_call"]

    def get_queryset(self):
        return (
            permissions.visible_payments(self.request.user)
            .select_related("recorded_by")
            .order_by("paid_on", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        payment = services.record_payment(data.pop("fee_call"), by=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=payment.pk)
