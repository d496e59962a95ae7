"""Downloads of funding lines as CSV or XLSX: a project's, and every line a person may see
with the funding dashboard's filters. Only what ``funding.permissions`` lets them see."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from portal.exports import export_response, workbook_response

from . import figures, permissions
from .dashboard import DashboardFilterForm
from .dashboard_views import dashboard_scope
from .exports import FUNDING_LINE_COLUMNS, figure_sheets, funding_line_rows
from .filters import FundingLineFilter
from .models import FundingLine


@login_required
def project_funding_export(request, pk, fmt):
    """The lines of the project's funding section, as the person sees them there; the export
    exists only where the section does (not for experts, nor for those who see the summary)."""
    project = permissions.get_project_or_404(request.user, pk)
    lines = permissions.visible_funding_lines(request.user, project)
    name = f"{project.acronym} funding lines"
    return export_response(name, FUNDING_LINE_COLUMNS, funding_line_rows(lines), fmt)


@login_required
def funding_lines_export(request, fmt):
    """Every line the person may see, with the dashboard's filters (year, funder, status, pole,
    theme, partner category)."""
    lines = permissions.funding_lines_for(request.user)
    filterset = FundingLineFilter(request.GET or None, queryset=lines)
    return export_response(
        "funding lines", FUNDING_LINE_COLUMNS, funding_line_rows(filterset.qs), fmt
    )


@login_required
def funding_portfolio_export(request, fmt):
    """A funder reviewer's portfolio: their funders' lines, with the page's status filter."""
    if not permissions.funders_of(request.user).exists():
        raise Http404
    lines = permissions.portfolio_lines(request.user)
    status = request.GET.get("status", "")
    if status in FundingLine.Status.values:
        lines = lines.filter(status=status)
    return export_response("funding portfolio", FUNDING_LINE_COLUMNS, funding_line_rows(lines), fmt)


@login_required
def funding_figures_export(request):
    """The numbers behind every chart of the funding dashboard, a sheet each, for the same
    scope and filters as the page."""
    pole, _poles, projects = dashboard_scope(request.user, request.GET.get("pole"))
    form = DashboardFilterForm(request.GET or None, projects=projects, pole=pole)
    data = figures.pole_dashboard(projects, pole=pole, **form.filters())
    name = f"{pole.name if pole else 'funding'} figures"
    return workbook_response(name, figure_sheets(data))
