"""The filters of the outcomes API. An object is filtered by its id whatever that id is: a
choice among every row would answer 400 for an id that does not exist and an empty list for
one the caller may not see, telling the second exists."""

import django_filters
from django import forms

from ..models import Campaign, LaunchRevenue, MarketLaunch, OutcomeReport

MAX_ID = 2**63 - 1  # the largest key a database holds; beyond it, not an id (400)


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ReportFilter(django_filters.FilterSet):
    campaign = IdFilter()
    project = IdFilter()

    class Meta:
        model = OutcomeReport
        fields = ["campaign", "project", "state"]


class CampaignFilter(django_filters.FilterSet):
    pole = IdFilter()

    class Meta:
        model = Campaign
        fields = ["pole", "year"]


class LaunchFilter(django_filters.FilterSet):
    project = IdFilter()
    partner = IdFilter()

    class Meta:
        model = MarketLaunch
        fields = ["project", "partner", "kind"]


class LaunchRevenueFilter(django_filters.FilterSet):
    launch = IdFilter()

    class Meta:
        model = LaunchRevenue
        fields = ["launch", "year"]
