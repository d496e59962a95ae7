from django.urls import path

from . import impact_views

urlpatterns = [
    path("", impact_views.impact_dashboard, name="impact_dashboard"),
    path("national/", impact_views.impact_national, name="impact_national"),
    path("<int:pole_pk>/<int:year>/report/", impact_views.impact_report, name="impact_report"),
    path(
        "<int:pole_pk>/<int:year>/report.xlsx",
        impact_views.impact_report_xlsx,
        name="impact_report_xlsx",
    ),
    path(
        "<int:pole_pk>/<int:year>/report/pdf/",
        impact_views.impact_report_pdf,
        name="impact_report_pdf",
    ),
    path(
        "<int:pole_pk>/<int:year>/report.pdf",
        impact_views.impact_report_pdf_file,
        name="impact_report_pdf_file",
    ),
]
