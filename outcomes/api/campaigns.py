"""Reporting campaigns in the API: the staff of a pole open their pole's campaigns and follow
them (how many of the reports asked are not started, drafts, submitted, validated or
returned); for everyone else they do not exist. The same permissions
(``outcomes.permissions``) and services as the pages: a bad value is a 400 with the field's
error."""

from django.http import Http404
from rest_framework import mixins, serializers, viewsets

from portal.models import Pole

from .. import permissions, services
from ..models import Campaign
from ..progress import with_progress
from .filters import CampaignFilter
from .views import sent_pk


class CampaignProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Reports asked for.")
    not_started = serializers.IntegerField(help_text="Drafts nobody has saved anything in yet.")
    draft = serializers.IntegerField(source="drafting", help_text="Drafts being filled.")
    submitted = serializers.IntegerField(help_text="Waiting for the pole's review.")
    validated = serializers.IntegerField()
    returned = serializers.IntegerField(help_text="Returned for changes, not submitted again yet.")


class CampaignSerializer(serializers.ModelSerializer):
    pole = serializers.PrimaryKeyRelatedField(
        queryset=Pole.objects.all(), help_text="A pole the caller works for as staff."
    )
    pole_name = serializers.CharField(source="pole.name", read_only=True)
    opened_by_name = serializers.CharField(
        source="opened_by", read_only=True, default=None, allow_null=True
    )
    progress = CampaignProgressSerializer(source="*", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "pole",
            "pole_name",
            "year",
            "due_date",
            "include_running",
            "ended_within_years",
            "message",
            "opened_by_name",
            "opened_at",
            "progress",
        ]
        read_only_fields = ["opened_at"]
        # One campaign per pole and year: the model's rule, reported by the service.
        validators = []


class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The reporting campaigns of the poles the caller works for as staff, with the progress
    of their reports. Opening one (``POST``) asks every project of the pole in its scope —
    labelled by the pole, running (``include_running``) or ended within
    ``ended_within_years`` of ``year`` — for its outcome report, and tells their leaders.
    The due date cannot be past; a pole has one campaign a year."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        campaigns = permissions.visible_campaigns(self.request.user)
        return (
            with_progress(campaigns)
            .select_related("pole", "opened_by")
            .order_by("-year", "pole__name", "pk")
        )

    def create(self, request, *args, **kwargs):
        # Before validating the body: for whoever opens no campaign, or none of the pole
        # sent, it is not found (the pages' rule), not a 400 saying what the fields should be.
        poles = permissions.campaign_poles(request.user)
        pole = sent_pk(request.data.get("pole")) if hasattr(request.data, "get") else None
        if not (poles if pole is None else poles.filter(pk=pole)).exists():
            raise Http404
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        pole = data.pop("pole")
        if not permissions.may_open_campaign(self.request.user, pole):
            raise Http404
        campaign = services.open_campaign(pole=pole, by=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=campaign.pk)
