from django.urls import path, re_path

from . import dashboard_views, export_views

urlpatterns = [
    path("", dashboard_views.funding_dashboard, name="funding_dashboard"),
    path("portfolio/", dashboard_views.funding_portfolio, name="funding_portfolio"),
    re_path(
        r"^lines/export\.(?P<fmt>csv|xlsx)$",
        export_views.funding_lines_export,
        name="funding_lines_export",
    ),
    re_path(
        r"^portfolio/export\.(?P<fmt>csv|xlsx)$",
        export_views.funding_portfolio_export,
        name="funding_portfolio_export",
    ),
    path("figures.xlsx", export_views.funding_figures_export, name="funding_figures_export"),
]
