"""A project's funding section, under /projects/<pk>/funding/."""

from django.urls import path, re_path

from . import export_views, views

urlpatterns = [
    path("", views.funding_section, name="project_funding"),
    path("lines/", views.line_add, name="funding_line_add"),
    path("lines/<int:line_pk>/", views.line_edit, name="funding_line_edit"),
    path("lines/<int:line_pk>/decision/", views.line_decide, name="funding_line_decide"),
    path(
        "lines/<int:line_pk>/disbursements/",
        views.disbursement_add,
        name="disbursement_add",
    ),
    path("lines/<int:line_pk>/repayments/", views.repayment_add, name="repayment_add"),
    path(
        "disbursements/<int:disbursement_pk>/paid/",
        views.disbursement_paid,
        name="disbursement_paid",
    ),
    path(
        "disbursements/<int:disbursement_pk>/delete/",
        views.disbursement_delete,
        name="disbursement_delete",
    ),
    path("repayments/<int:repayment_pk>/paid/", views.repayment_paid, name="repayment_paid"),
    path(
        "repayments/<int:repayment_pk>/delete/",
        views.repayment_delete,
        name="repayment_delete",
    ),
    path("rounds/", views.round_add, name="private_round_add"),
    path("rounds/<int:round_pk>/delete/", views.round_delete, name="private_round_delete"),
    re_path(
        r"^export\.(?P<fmt>csv|xlsx)$",
        export_views.project_funding_export,
        name="project_funding_export",
    ),
]
