"""Membership pages: the applicant's (``/memberships/``) and the pole staff's
(``/poles/<pole>/…``: applications, members, fees)."""

from django.urls import path

from . import fee_views, membership_views

urlpatterns = [
    path("", membership_views.membership_overview, name="membership_overview"),
    path(
        "applications/<int:pk>/",
        membership_views.application_detail,
        name="application_detail",
    ),
]

pole_urlpatterns = [
    path("apply/", membership_views.apply, name="membership_apply"),
    path("applications/", membership_views.application_list, name="application_list"),
    path("applications/<int:pk>/", membership_views.application_review, name="application_review"),
    path(
        "applications/<int:pk>/request-info/",
        membership_views.application_request_info,
        name="application_request_info",
    ),
    path(
        "applications/<int:pk>/accept/",
        membership_views.application_accept,
        name="application_accept",
    ),
    path(
        "applications/<int:pk>/reject/",
        membership_views.application_reject,
        name="application_reject",
    ),
    path("members/", membership_views.member_list, name="member_list"),
    path("members/<int:pk>/", membership_views.membership_detail, name="membership_detail"),
    path("members/<int:pk>/status/", membership_views.membership_status, name="membership_status"),
    path("fees/", fee_views.fee_schedule, name="fee_schedule"),
    path("fees/rows/", fee_views.fee_row_add, name="fee_row_add"),
    path("fees/rows/<int:row_pk>/edit/", fee_views.fee_row_edit, name="fee_row_edit"),
    path("fees/rows/<int:row_pk>/delete/", fee_views.fee_row_delete, name="fee_row_delete"),
    path("fees/copy/", fee_views.fee_schedule_copy, name="fee_schedule_copy"),
    path("fees/issue/", fee_views.fee_calls_issue, name="fee_calls_issue"),
    path("fee-calls/", fee_views.fee_call_list, name="fee_call_list"),
    path("fee-calls/export.<str:fmt>", fee_views.fee_calls_export, name="fee_calls_export"),
    path("payments/export.<str:fmt>", fee_views.payments_export, name="payments_export"),
    path("fee-calls/<int:pk>/", fee_views.fee_call_detail, name="fee_call_detail"),
    path("fee-calls/<int:pk>/payments/", fee_views.payment_add, name="payment_add"),
]
