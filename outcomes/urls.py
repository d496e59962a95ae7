"""Reporting campaigns under /campaigns/ and outcome reports under /reports/."""

from django.urls import path, re_path

from . import campaign_views, report_views

urlpatterns = [
    path("campaigns/", campaign_views.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/new/scope/", campaign_views.campaign_scope, name="campaign_scope"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign_detail"),
    re_path(
        r"^campaigns/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$",
        campaign_views.campaign_export,
        name="campaign_export",
    ),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path(
        "reports/<int:pk>/figures/<int:figures_pk>/",
        report_views.figures_save,
        name="report_figures_save",
    ),
    path("reports/<int:pk>/narrative/", report_views.report_save, name="report_save"),
    path("reports/<int:pk>/submit/", report_views.report_submit, name="report_submit"),
    path("reports/<int:pk>/validate/", report_views.report_validate, name="report_validate"),
    path("reports/<int:pk>/return/", report_views.report_return, name="report_return"),
]
