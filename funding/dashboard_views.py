"""The funding dashboard of the poles a person works for (or of the projects they see), and a
funder reviewer's portfolio."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from projects import permissions as project_permissions

from . import figures, permissions
from .dashboard import DashboardFilterForm, dashboard_charts
from .models import FundingLine

UPCOMING_DAYS = 90
LISTED = 50  # upcoming and late tranches shown on the portfolio page


def dashboard_scope(user, pole_pk=None):
    """(pole, poles, projects) of ``user``'s dashboard: a pole they work for (the one asked, or
    the first), or, for everyone else, every project whose funding they see."""
    poles = list(permissions.dashboard_poles(user))
    if pole_pk not in (None, ""):
        pole = next((p for p in poles if str(p.pk) == str(pole_pk)), None)
        if pole is None:
            raise Http404
    else:
        pole = poles[0] if poles else None
    return pole, poles, permissions.figure_projects(user, pole)


@login_required
def funding_dashboard(request):
    user = request.user
    pole, poles, projects = dashboard_scope(user, request.GET.get("pole"))
    if (
        pole is None
        and permissions.funders_of(user).exists()
        and not project_permissions.consortium_projects(user).exists()
    ):
        return redirect("funding_portfolio")
    form = DashboardFilterForm(request.GET or None, projects=projects, pole=pole)
    data = figures.pole_dashboard(projects, pole=pole, **form.filters())
    context = {"pole": pole, "poles": poles, "form": form, "figures": data}
    context["charts"] = dashboard_charts(data)
    if request.htmx and not request.htmx.boosted:
        return render(request, "funding/dashboard.html#figures", context)
    return render(request, "funding/dashboard.html", context)


@login_required
def funding_portfolio(request):
    """A funder reviewer's lines across projects, upcoming and late tranches, and totals."""
    user = request.user
    funders = list(permissions.funders_of(user).order_by("name"))
    if not funders:
        raise Http404
    status = request.GET.get("status", "")
    if status not in FundingLine.Status.values:
        status = ""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    kept = figures.portfolio_figures(
        permissions.funder_ids(user), status=status, today=today, horizon=horizon
    )
    lines = permissions.portfolio_lines(user)
    if status:
        lines = lines.filter(status=status)
    listed = figures.with_amounts(
        lines.select_related("project", "partner__organisation", "programme", "funder")
    ).order_by("project__acronym", "pk")
    paginator = Paginator(listed, 50)
    paginator.count = kept["totals"]["lines"]  # counted with the totals: not asked again
    unpaid = (
        permissions.portfolio_disbursements(user)
        .filter(paid_date__isnull=True)
        .select_related("line__project", "line__partner__organisation", "line__programme")
    )
    upcoming = unpaid.filter(scheduled_date__gte=today, scheduled_date__lte=horizon)
    late = unpaid.filter(scheduled_date__lt=today)
    context = {
        "funders": funders,
        "page": paginator.get_page(request.GET.get("page")),
        "status": status,
        "statuses": FundingLine.Status.choices,
        "totals": kept["totals"],
        "upcoming": upcoming.order_by("scheduled_date", "pk")[:LISTED],
        "late": late.order_by("scheduled_date", "pk")[:LISTED],
        "due": kept["due"],
        "upcoming_days": UPCOMING_DAYS,
        "today": today,
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "funding/portfolio.html#lines", context)
    return render(request, "funding/portfolio.html", context)
