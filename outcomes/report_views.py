"""An outcome report's page: each partner's figures (an inline HTMX form for those who fill
them, pre-filled with what the portal already knows), the leaders' narrative and submission,
the pole's review; and the project page's list of its reports.

The partner forms and the narrative post with HTMX and get their block back: after a save with
the new values (and the totals, out of band); after an error with the form open and its errors
(400); after a save over a newer version with the newer values (409). Submitting, validating
and returning are plain forms: the whole page changes with them. Without HTMX, a change
redirects to the page and an error shows the page with it.

Who may see the report is ``permissions.visible_reports``; everyone else gets 404, and so do
those who see it but may not take the action they post. A change the report's state no longer
allows (it was submitted, validated) is refused by the services, with their reason (400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms_utils import add_model_errors
from portal.modelutils import StaleEdit

from . import permissions, services
from .models import OutcomeReport, PartnerFigures
from .progress import progress_of
from .report_forms import FiguresForm, ReportForm, ReturnForm, as_decimal

PAGE = "outcomes/report_detail.html"
State = OutcomeReport.State

# How each figure is written: money with the euros filter, a share, FTEs, a count.
KINDS = {
    "revenue": "money",
    "export_share": "percent",
    "jobs_created": "fte",
    "jobs_maintained": "fte",
    "patents_filed": "count",
    "patents_granted": "count",
    "publications": "count",
    "follow_on_funding": "money",
}


class Bound:
    """What a request posted, to show in place of the blank forms, and what to tell."""

    def __init__(self, **kwargs):
        self.figures_pk = kwargs.get("figures_pk")
        self.form = kwargs.get("form")  # a partner's figures
        self.report_form = kwargs.get("report_form")
        self.return_form = kwargs.get("return_form")
        self.stale = kwargs.get("stale")
        self.notice = kwargs.get("notice", "")
        self.error = kwargs.get("error", "")  # the page's, or a partner's block's
        self.leaders_error = ""
        self.submit_errors = kwargs.get("submit_errors", [])

    def on(self, figures_pk):
        return self.figures_pk is not None and self.figures_pk == figures_pk


def _labels():
    return {name: PartnerFigures._meta.get_field(name).verbose_name for name in KINDS}


def _items(get, labels):
    """The figures in the forms' order, each with its label, value and kind."""
    return [
        {"name": name, "label": labels[name], "value": get(name), "kind": KINDS[name]}
        for name in PartnerFigures.REQUIRED
    ]


def _prepare(row, fillable, suggestions, bound, labels):
    """Tell a partner's figures what ``user`` may do with them, and give them their form."""
    row.items = _items(lambda name: getattr(row, name), labels)
    row.missing_count = len(row.missing())
    row.may_fill = row.partner_id in fillable
    on = bound.on(row.pk)
    row.notice = bound.notice if on else ""
    row.error = bound.error if on else ""
    row.stale = bound.stale if on else None
    row.form = None
    if row.may_fill:
        row.form = (bound.form if on else None) or FiguresForm.for_figures(
            row, suggestions.get(row.partner_id), auto_id=f"figures-{row.pk}-%s"
        )


def _submitted(report, labels):
    """What was submitted, from the snapshot kept apart from the drafts that follow a return."""
    snapshot = report.submitted_figures
    if not snapshot:
        return None
    return {
        "narrative": snapshot.get("narrative", ""),
        "spin_offs": snapshot.get("spin_offs"),
        "partners": [
            {
                "organisation": row["organisation"],
                "items": _items(lambda name, row=row: _snapshot_value(name, row), labels),
                "comments": row.get("comments", ""),
            }
            for row in snapshot.get("partners", [])
        ],
        "totals": _items(lambda name: _snapshot_value(name, snapshot.get("totals", {})), labels),
    }


def _snapshot_value(name, values):
    value = values.get(name)
    return value if KINDS[name] == "count" else as_decimal(value)


def report_context(request, report, bound=None):
    """The report as ``request.user`` may see and use it; a fixed number of queries whatever
    the number of partners."""
    bound = bound or Bound()
    user = request.user
    figures = list(
        report.figures.select_related("partner__organisation", "updated_by").order_by(
            "partner__organisation__legal_name", "pk"
        )
    )
    # The forms show while the report may change; the services refuse a late post anyway.
    editable = report.is_editable
    fillable = permissions.fillable_partner_ids(user, report) if editable else set()
    suggestions = services.suggested_figures(report, user) if fillable else {}
    labels = _labels()
    for row in figures:
        _prepare(row, fillable, suggestions, bound, labels)
    may_fill = editable and permissions.may_fill_report(user, report)
    may_review = report.state == State.SUBMITTED and permissions.may_review_report(user, report)
    totals = services.report_totals(figures)
    for name in PartnerFigures.REQUIRED:  # a figure nobody gave yet is not a zero
        if all(getattr(row, name) is None for row in figures):
            totals[name] = None
    return {
        "report": report,
        "campaign": report.campaign,
        "project": report.project,
        "progress": progress_of(report),
        "figures": figures,
        "complete_count": sum(1 for row in figures if row.completed_at),
        "totals": _items(totals.get, labels),
        "labels": [labels[name] for name in PartnerFigures.REQUIRED],
        "is_late": report.is_editable and report.campaign.due_date < timezone.localdate(),
        "may_fill": may_fill,
        "may_fill_any": bool(fillable),
        "report_form": (bound.report_form or ReportForm.for_report(report, auto_id="report-%s"))
        if may_fill
        else None,
        "may_review": may_review,
        "return_form": (bound.return_form or ReturnForm(auto_id="return-%s"))
        if may_review
        else None,
        "may_manage": permissions.may_manage_campaign(user, report.campaign),
        "submitted": _submitted(report, labels) if report.state == State.RETURNED else None,
        "bound": bound,
        "leaders_notice": "" if bound.figures_pk else bound.notice,
        "page_error": "" if bound.figures_pk else bound.error,
    }


# --- Answering --------------------------------------------------------------------------------


def _report_or_404(user, pk):
    try:
        return (
            permissions.visible_reports(user)
            .select_related("campaign__pole", "project", "submitted_by", "reviewed_by")
            .get(pk=pk)
        )
    except (OutcomeReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _page(request, report, bound, status):
    return render(request, PAGE, report_context(request, report, bound), status=status)


def _changed(request, report, anchor, notice):
    """After a change without HTMX: back to the report, at the block that changed."""
    messages.success(request, notice)
    return redirect(f"{services.report_url(report)}#{anchor}")


def _figures_block(request, report, figures_pk, bound, status=200):
    """A partner's block with the totals (out of band) for HTMX; the page otherwise."""
    if not request.htmx:
        if status == 200:
            return _changed(request, report, f"figures-{figures_pk}", bound.notice)
        return _page(request, report, bound, status)
    context = report_context(request, report, bound)
    context["row"] = next(row for row in context["figures"] if row.pk == figures_pk)
    context["oob"] = True
    return render(request, f"{PAGE}#figures_block", context, status=status)


def _leaders_block(request, report, bound, status=200):
    if not request.htmx:
        if status == 200:
            return _changed(request, report, "leaders", bound.notice)
        return _page(request, report, bound, status)
    context = report_context(request, report, bound)
    return render(request, f"{PAGE}#leaders_block", context, status=status)


def _refused(bound, form, error):
    """A service's refusal: on the form's fields, or (a report no longer open) as a message."""
    if hasattr(error, "error_dict"):
        add_model_errors(form, error)
    else:
        bound.error = " ".join(error.messages)


@login_required
def report_detail(request, pk):
    report = _report_or_404(request.user, pk)
    return render(request, PAGE, report_context(request, report))


@login_required
@require_POST
def figures_save(request, pk, figures_pk):
    """Save a partner's figures; with ``complete``, also say that the partner's part is
    complete (both or nothing)."""
    report = _report_or_404(request.user, pk)
    figures = get_object_or_404(
        report.figures.select_related("partner__organisation"), pk=figures_pk
    )
    if figures.partner_id not in permissions.fillable_partner_ids(request.user, report):
        raise Http404
    form = FiguresForm(request.POST, auto_id=f"figures-{figures.pk}-%s")
    bound = Bound(figures_pk=figures.pk, form=form)
    if not form.is_valid():
        return _figures_block(request, report, figures.pk, bound, 400)
    complete = "complete" in request.POST
    try:
        with transaction.atomic():
            services.save_figures(
                figures,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
            if complete:
                services.complete_figures(figures, by=request.user)
    except StaleEdit as error:
        bound.form, bound.stale = None, error
        return _figures_block(request, report, figures.pk, bound, 409)
    except ValidationError as error:
        _refused(bound, form, error)
        return _figures_block(request, report, figures.pk, bound, 400)
    organisation = figures.partner.organisation
    if complete:
        notice = _("Figures of %(organisation)s saved, and marked complete.")
    else:
        notice = _("Figures of %(organisation)s saved.")
    bound = Bound(figures_pk=figures.pk, notice=notice % {"organisation": organisation})
    return _figures_block(request, report, figures.pk, bound)


def _save_narrative(request, report, bound):
    """Save the leaders' part if it was posted; False (and ``bound`` says why) if refused."""
    form = ReportForm(request.POST, auto_id="report-%s")
    bound.report_form = form
    if not form.is_valid():
        return False
    try:
        services.save_report(
            report, by=request.user, expected_version=form.cleaned_data["version"], **form.values()
        )
    except StaleEdit as error:
        bound.report_form, bound.stale = None, error
        return False
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            add_model_errors(form, error)
        else:
            bound.leaders_error = " ".join(error.messages)
        return False
    bound.report_form = None
    return True


@login_required
@require_POST
def report_save(request, pk):
    """The leaders' narrative and spin-offs."""
    report = _report_or_404(request.user, pk)
    if not permissions.may_fill_report(request.user, report):
        raise Http404
    bound = Bound()
    if not _save_narrative(request, report, bound):
        status = 409 if bound.stale else 400
        return _leaders_block(request, _report_or_404(request.user, pk), bound, status)
    bound.notice = _("Narrative saved.")
    return _leaders_block(request, report, bound)


@login_required
@require_POST
def report_submit(request, pk):
    """Save the narrative (if posted with the button), then submit the whole report."""
    report = _report_or_404(request.user, pk)
    if not permissions.may_fill_report(request.user, report):
        raise Http404
    bound = Bound()
    if "version" in request.POST and not _save_narrative(request, report, bound):
        report = _report_or_404(request.user, pk)
        return _page(request, report, bound, 409 if bound.stale else 400)
    try:
        services.submit_report(report, by=request.user)
    except ValidationError as error:
        bound.submit_errors = error.messages
        return _page(request, _report_or_404(request.user, pk), bound, 400)
    return _changed(
        request,
        report,
        "report",
        _("Report submitted to %(pole)s: its staff were told.") % {"pole": report.campaign.pole},
    )


@login_required
@require_POST
def report_validate(request, pk):
    report = _report_or_404(request.user, pk)
    if not permissions.may_review_report(request.user, report):
        raise Http404
    try:
        services.validate_report(report, by=request.user)
    except ValidationError as error:
        return _page(request, report, Bound(error=" ".join(error.messages)), 400)
    return _changed(
        request, report, "report", _("Report validated: it is locked, and its figures count.")
    )


@login_required
@require_POST
def report_return(request, pk):
    report = _report_or_404(request.user, pk)
    if not permissions.may_review_report(request.user, report):
        raise Http404
    form = ReturnForm(request.POST, auto_id="return-%s")
    bound = Bound(return_form=form)
    if not form.is_valid():
        return _page(request, report, bound, 400)
    try:
        services.return_report(
            report, comments=form.cleaned_data["review_comments"], by=request.user
        )
    except ValidationError as error:
        _refused(bound, form, error)
        return _page(request, report, bound, 400)
    return _changed(
        request, report, "report", _("Report returned to the consortium with your comments.")
    )


# --- The project page's section ------------------------------------------------------------------


def section_context(request, project, confidential):
    """The project's reports ``request.user`` may read, newest campaign first (one query)."""
    if not confidential:
        return {"outcome_reports": []}
    reports = list(
        permissions.project_reports(request.user, project)
        .select_related("campaign__pole")
        .order_by("-campaign__year", "campaign__pole__name", "pk")
    )
    today = timezone.localdate()
    for report in reports:
        report.is_late = report.is_editable and report.campaign.due_date < today
    return {"outcome_reports": reports}
