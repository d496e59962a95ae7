"""Reporting campaigns, for the staff of their pole: the list with each campaign's progress,
opening a campaign, and following one report by report (filtered with HTMX, downloadable).
People who follow no campaign find none of these pages (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.charts import bar_chart
from portal.exports import export_response
from portal.forms_utils import add_model_errors

from . import permissions, services
from .campaign_exports import REPORT_COLUMNS
from .models import Campaign
from .progress import finish, progress_rows, report_rows, with_progress
from .report_forms import CampaignForm, ReportFilterForm

SCOPE_SHOWN = 12  # acronyms listed under the count of the scope


def _campaign_poles_or_404(user):
    poles = permissions.campaign_poles(user).order_by("name")
    if not poles.exists():
        raise Http404
    return poles


def _campaign_or_404(user, pk):
    try:
        return with_progress(permissions.visible_campaigns(user).select_related("pole")).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
def campaign_list(request):
    poles = _campaign_poles_or_404(request.user)
    campaigns = list(
        with_progress(permissions.visible_campaigns(request.user))
        .select_related("pole")
        .order_by("-year", "pole__name", "pk")
    )
    for campaign in campaigns:
        campaign.progress = progress_rows(campaign)
    may_open = permissions.may_open_campaign(request.user, poles.first())
    return render(
        request, "outcomes/campaign_list.html", {"campaigns": campaigns, "may_open": may_open}
    )


def _scope(form):
    """What the campaign being typed would ask: {"count", "projects", "exists"} or None."""
    scope = form.scope() if form.is_bound else form.initial_scope()
    if scope is None:
        return None
    pole, year, include_running, within = scope
    projects = services.campaign_scope(pole, year, include_running, within).order_by("acronym")
    return {
        "pole": pole,
        "year": year,
        "count": projects.count(),
        "projects": list(projects.values_list("acronym", flat=True)[:SCOPE_SHOWN]),
        "exists": Campaign.objects.filter(pole=pole, year=year).exists(),
    }


@login_required
def campaign_create(request):
    poles = _campaign_poles_or_404(request.user)
    form = CampaignForm(request.POST or None, poles=poles)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        pole = data.pop("pole")
        if not permissions.may_open_campaign(request.user, pole):
            raise Http404
        try:
            campaign = services.open_campaign(pole=pole, by=request.user, **data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            count = campaign.reports.count()
            messages.success(
                request,
                ngettext(
                    "Campaign opened: %(count)d report asked for; its leaders were told.",
                    "Campaign opened: %(count)d reports asked for; their leaders were told.",
                    count,
                )
                % {"count": count},
            )
            return redirect("campaign_detail", campaign.pk)
    return render(request, "outcomes/campaign_form.html", {"form": form, "scope": _scope(form)})


@login_required
def campaign_scope(request):
    """How many projects the campaign being typed would ask (the form's HTMX preview)."""
    poles = _campaign_poles_or_404(request.user)
    form = CampaignForm(request.GET, poles=poles)
    return render(request, "outcomes/campaign_form.html#scope", {"scope": _scope(form)})


def _filtered_reports(request, campaign):
    filter_form = ReportFilterForm(request.GET or None)
    reports = report_rows(filter_form.filter(campaign.reports.all()))
    return filter_form, reports


@login_required
def campaign_detail(request, pk):
    campaign = _campaign_or_404(request.user, pk)
    filter_form, reports = _filtered_reports(request, campaign)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    finish(page.object_list)
    context = {"campaign": campaign, "filter_form": filter_form, "page": page}
    if request.htmx and not request.htmx.boosted:
        return render(request, "outcomes/campaign_detail.html#reports", context)
    progress = progress_rows(campaign)
    context.update(
        progress=progress,
        chart=bar_chart(
            [(label, count) for label, count, _value in progress],
            title=_("Reports by state"),
            unit="",
            label_header=_("State"),
            value_header=_("Reports"),
            caption=False,
        ),
        may_manage=permissions.may_manage_campaign(request.user, campaign),
    )
    return render(request, "outcomes/campaign_detail.html", context)


@login_required
def campaign_export(request, pk, fmt):
    """The campaign's table of reports, with the page's state filter."""
    campaign = _campaign_or_404(request.user, pk)
    _filter_form, reports = _filtered_reports(request, campaign)
    name = f"{campaign.pole.name} reports {campaign.year}"
    return export_response(name, REPORT_COLUMNS, finish(list(reports)), fmt)
