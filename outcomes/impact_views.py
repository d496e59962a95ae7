"""The impact dashboard of the poles a person works for, the national view across every pole,
and the yearly impact report of a pole (a page to print, and a workbook)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from portal.exports import workbook_response

from . import figures, impact_pdf, permissions
from .impact_dashboard import ImpactFilterForm, impact_charts, impact_tables
from .impact_report import build_report, report_sheets

FIRST_YEAR, LAST_YEAR = 1990, 2100


def chosen_pole(poles, pole_pk):
    """The pole asked for among ``poles`` (404 if it is not one of them), else the first."""
    if pole_pk in (None, ""):
        return poles[0] if poles else None
    pole = next((pole for pole in poles if str(pole.pk) == str(pole_pk)), None)
    if pole is None:
        raise Http404
    return pole


def _figures_page(request, poles, context):
    """The dashboard of ``poles`` with the filters of the query string; the figures alone for
    an HTMX request (the filters changed)."""
    form = ImpactFilterForm(request.GET or None, poles=poles)
    data = figures.cached_impact(poles, per_pole=context["national"], **form.filters())
    form.offer_years(data["by_year"])
    context.update(
        form=form,
        figures=data,
        charts=impact_charts(data, caption=True),
        tables=impact_tables(data),
    )
    if request.htmx and not request.htmx.boosted:
        return render(request, "outcomes/impact_dashboard.html#figures", context)
    return render(request, "outcomes/impact_dashboard.html", context)


@login_required
def impact_dashboard(request):
    """A pole's impact figures: staff land on their pole's (a choice if they work for several);
    whoever sees no pole's figures gets a page saying so."""
    user = request.user
    poles = list(permissions.impact_poles(user).order_by("name", "pk"))
    pole = chosen_pole(poles, request.GET.get("pole"))
    national = permissions.may_view_national(user)
    context = {"pole": pole, "poles": poles, "national": False, "may_view_national": national}
    if pole is None:
        return render(request, "outcomes/impact_dashboard.html", context)
    return _figures_page(request, [pole], context)


@login_required
def impact_national(request):
    """The figures of every pole of the installation, with a row per pole."""
    if not permissions.may_view_national(request.user):
        raise Http404
    poles = list(permissions.impact_poles(request.user).order_by("name", "pk"))
    context = {"pole": None, "poles": poles, "national": True, "may_view_national": True}
    return _figures_page(request, poles, context)


def _report(request, pole_pk, year):
    pole = permissions.impact_pole_or_404(request.user, pole_pk)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return build_report(pole, year)


@login_required
def impact_report(request, pole_pk, year):
    """The yearly impact report of a pole, to read and to print."""
    report = _report(request, pole_pk, year)
    context = {
        **report,
        "charts": impact_charts(report["figures"], caption=True),
        "tables": impact_tables(report["figures"]),
    }
    return render(request, "outcomes/impact_report.html", context)


@login_required
def impact_report_xlsx(request, pole_pk, year):
    """The yearly impact report's tables as a workbook, a sheet each."""
    report = _report(request, pole_pk, year)
    return workbook_response(f"{report['pole'].name} impact {year}", report_sheets(report))


def _pdf_state(request, pole_pk, year):
    """The pole, the year, the PDF file in the reader's language and whether it is current."""
    pole = permissions.impact_pole_or_404(request.user, pole_pk)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    language = get_language() or settings.LANGUAGE_CODE
    report = impact_pdf.report_file(pole, year, language)
    # The digest reads every figure of the report: only for a finished file (HTMX polls the
    # status every 2 s while it is made).
    done = report is not None and report.status == impact_pdf.Status.DONE
    current = done and impact_pdf.is_current(report, impact_pdf.fingerprint(pole, year))
    return {"pole": pole, "year": year, "language": language, "file": report, "current": current}


@login_required
@require_http_methods(["GET", "POST"])
def impact_report_pdf(request, pole_pk, year):
    """The PDF of the yearly report: generated in the background on request, its progress
    shown (HTMX polls the status while it runs), kept until the figures change."""
    state = _pdf_state(request, pole_pk, year)
    if request.method == "POST":
        impact_pdf.request_report(state["pole"], year, state["language"], by=request.user)
        if not request.htmx:
            return redirect("impact_report_pdf", pole_pk=state["pole"].pk, year=year)
        state = _pdf_state(request, pole_pk, year)
    template = "outcomes/impact_report_pdf.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {**state, "working": impact_pdf.WORKING})


@login_required
def impact_report_pdf_file(request, pole_pk, year):
    """The finished PDF, if it shows today's figures; otherwise its status page."""
    state = _pdf_state(request, pole_pk, year)
    if not state["current"]:
        return redirect("impact_report_pdf", pole_pk=state["pole"].pk, year=year)
    response = FileResponse(
        state["file"].file.open("rb"),
        content_type="application/pdf",
        filename=f"impact-{state['pole'].pk}-{year}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
