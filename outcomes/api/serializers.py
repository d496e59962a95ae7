"""Market launches in the API. Amounts are read and written as text in euros with at most two
decimals (``portal.api.fields.EuroAmountField``); revenue is reported in euros only: an amount
written with another currency, or a ``currency`` other than "EUR", is a 400 on its field."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.api.fields import CurrencyField, EuroAmountField, MoneyField
from projects.models import Partner, Project

from .. import permissions
from ..countries import parse_markets
from ..models import LaunchRevenue, MarketLaunch


class RevenueOfLaunchSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)

    class Meta:
        model = LaunchRevenue
        fields = ["id", "year", "amount"]


class OtherProjectsField(serializers.ManyRelatedField):
    """The other projects a launch came from: written as the projects the caller leads,
    read as those that exist for the caller (``shown_projects``, prefetched by lists)."""

    def get_attribute(self, instance):
        shown = getattr(instance, "shown_projects", None)
        if shown is None:
            user = self.context["request"].user
            visible = permissions.shown_other_projects(user).values("pk")
            shown = list(instance.other_projects.filter(pk__in=visible))
        return shown


class LaunchSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.none(),
        help_text="The partner of the project that launches it: the leaders give any, a "
        "partner's contacts their own.",
        error_messages={
            "does_not_exist": _("You do not record the launches of partner {pk_value}.")
        },
    )
    partner_name = serializers.CharField(source="partner.organisation.legal_name", read_only=True)
    other_projects = OtherProjectsField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Project.objects.none()),
        required=False,
        help_text="Other projects it also came from: projects the caller leads where the "
        "launching organisation is a partner. On update, those another leader linked stay.",
    )
    markets = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        help_text='ISO 3166-1 alpha-2 country codes, e.g. ["FR", "DE"].',
    )
    revenues = RevenueOfLaunchSerializer(many=True, read_only=True)
    revenue_total = serializers.SerializerMethodField(
        help_text="The revenue of all years, in euros; null when none is recorded."
    )

    class Meta:
        model = MarketLaunch
        fields = [
            "id",
            "project",
            "partner",
            "partner_name",
            "other_projects",
            "name",
            "kind",
            "description",
            "launch_date",
            "markets",
            "trl_reached",
            "revenues",
            "revenue_total",
            "version",
        ]
        extra_kwargs = {
            "version": {
                "read_only": False,
                "required": False,
                "help_text": "On update, the version you edited: a change saved meanwhile "
                "by someone else makes the update fail with 409 and the newer values.",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["partner"].queryset = permissions.recordable_partners(user)
            self.fields["other_projects"].child_relation.queryset = permissions.linkable_projects(
                user
            )

    def get_revenue_total(self, launch) -> str | None:
        if hasattr(launch, "revenue_total"):  # annotated by lists (launch_views.with_details)
            total = launch.revenue_total
        else:
            total = launch.revenues.aggregate(total=Sum("amount"))["total"]
        return None if total is None else f"{total:.2f}"

    def validate_markets(self, value):
        try:
            return parse_markets(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class LaunchUpdateSerializer(LaunchSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True)


class LaunchRevenueSerializer(serializers.ModelSerializer):
    launch = serializers.PrimaryKeyRelatedField(queryset=MarketLaunch.objects.all())
    project = serializers.IntegerField(source="launch.project_id", read_only=True)
    amount = EuroAmountField(allow_zero=True)
    currency = CurrencyField(required=False)

    class Meta:
        model = LaunchRevenue
        fields = ["id", "launch", "project", "year", "amount", "currency"]
        # One revenue per launch and year: recording a year again replaces it (the service).
        validators = []


class LaunchRevenueUpdateSerializer(LaunchRevenueSerializer):
    launch = serializers.PrimaryKeyRelatedField(read_only=True)
    amount = EuroAmountField(allow_zero=True, required=False)

    class Meta(LaunchRevenueSerializer.Meta):
        read_only_fields = ["year"]
