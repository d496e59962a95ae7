"""A project's funding section: its lines by partner and programme with their amounts, a
chart, and the inline forms of each side — the leaders apply and record private rounds, a
funder's reviewers decide and record the tranches of their own lines.

Every form posts with HTMX and gets the whole section back: after a change with the new
amounts and totals; after an error with the form open and its errors in place (400); after
a save over a newer version of a line with the newer values (409). Without HTMX, a change
redirects to the project page and an error shows the section on a page of its own.

The forms stay folded, and out of the page, until opened: the GET of a form's URL answers
it (``portal.folded``), behind the same permission as its POST.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, Sum, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import snapshots
from portal.charts import grouped_bar_chart
from portal.folded import folded_form
from portal.forms_utils import add_model_errors
from portal.models import Organisation
from portal.modelutils import StaleEdit
from projects import permissions as project_permissions

from . import permissions, services
from .amounts import MONEY, ZERO, with_line_amounts
from .figures import line_totals, with_amounts
from .forms import (
    DecisionForm,
    DisbursementForm,
    LineEditForm,
    LineForm,
    PaidForm,
    PrivateRoundForm,
    RepaymentForm,
    programme_choices,
)
from .models import Disbursement, FundingLine, PrivateRound, Programme, Repayment

SECTION = "funding/project_funding_section.html"
PAGE = "funding/project_funding.html"
Status = FundingLine.Status


# --- What the section shows ------------------------------------------------------------------


class Bound:
    """A posted form to show in place of its blank one: ``kind`` (add, edit, decision,
    disbursement, repayment, paid, round) and the object it is about."""

    def __init__(self, kind, form, pk=None, stale=None):
        self.kind, self.form, self.pk, self.stale = kind, form, pk, stale

    def is_about(self, kind, pk=None):
        return self.kind == kind and self.pk == pk

    def get(self, kind, pk=None):
        if self.is_about(kind, pk):
            return self.form  # None after a stale edit: a blank form shows the newer values
        return None


NOTHING_BOUND = Bound(None, None)


def funding_by_partner(lines):
    """Requested (once applied), granted and disbursed (paid) by partner, summed by the
    database with the dashboard's meanings (``funding.figures``)."""
    granted = Q(status__in=FundingLine.DECIDED)
    rows = (
        with_amounts(lines.order_by())
        .values("partner__organisation__legal_name")
        .annotate(
            requested=Coalesce(
                Sum("amount_requested", filter=~Q(status=Status.PLANNED)), ZERO, output_field=MONEY
            ),
            granted=Coalesce(Sum("amount_granted", filter=granted), ZERO, output_field=MONEY),
            disbursed_total=Coalesce(Sum("disbursed"), ZERO, output_field=MONEY),
        )
        .order_by("partner__organisation__legal_name")
    )
    return list(rows)


def _repaid_total(lines):
    repayments = Repayment.objects.filter(line__in=lines.order_by().values("pk"))
    paid = repayments.filter(paid_date__isnull=False)
    return paid.aggregate(total=Sum("amount"))["total"] or ZERO


def partner_chart(rows):
    if not rows:
        return ""
    return grouped_bar_chart(
        [row["partner__organisation__legal_name"] for row in rows],
        {
            _("Requested"): [row["requested"] for row in rows],
            _("Granted"): [row["granted"] for row in rows],
            _("Disbursed"): [row["disbursed_total"] for row in rows],
        },
        title=_("Funding by partner"),
        description=_("Requested (once applied), granted and disbursed (paid) by partner."),
        category_header=_("Partner"),
    )


def _groups(lines):
    """The lines by partner, in the order of the table."""
    groups = []
    for line in lines:
        if not groups or groups[-1]["partner"].pk != line.partner_id:
            groups.append({"partner": line.partner, "lines": []})
        groups[-1]["lines"].append(line)
    return groups


def _choice_labels(model, name):
    """{value: label} of the choices of ``model``'s field ``name``, in the active language."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _label_choices(lines):
    """What the table writes of each line, its tranches and its partner, read once per page:
    ``get_FOO_display`` builds all of a field's labels again at each call (hundreds a page)."""
    statuses = _choice_labels(FundingLine, "status")
    instruments = _choice_labels(Programme, "instrument")
    kinds = _choice_labels(Disbursement, "kind")
    categories = _choice_labels(Organisation, "category")
    for line in lines:
        line.status_label = statuses.get(line.status, line.status)
        instrument = line.programme.instrument
        line.instrument_label = instruments.get(instrument, instrument)
        organisation = line.partner.organisation
        organisation.category_label = categories.get(organisation.category, organisation.category)
        for tranche in line.tranches:
            tranche.kind_label = kinds.get(tranche.kind, tranche.kind)
        line.has_details = bool(
            line.conditions
            or line.tranches
            or line.repayment_rows
            or line.may_edit
            or line.may_decide
            or line.may_disburse
            or line.may_repay
        )


def section_context(request, project, confidential, bound=NOTHING_BOUND, notice="", error=""):
    """The funding section of the project page, as ``request.user`` may see and use it;
    a fixed number of queries whatever the number of lines."""
    user = request.user
    access = permissions.funding_access(user, project) if confidential else None
    if access is None:
        return {"funding": None}
    visible = permissions.visible_funding_lines(user, project)
    lines = list(
        with_line_amounts(visible)
        .select_related("partner__organisation", "programme")
        .prefetch_related(
            # As lists (to_attr): no queryset made for each line to hold them.
            Prefetch(
                "disbursements",
                queryset=Disbursement.objects.order_by("scheduled_date"),
                to_attr="tranches",
            ),
            Prefetch(
                "repayments",
                queryset=Repayment.objects.order_by("due_date"),
                to_attr="repayment_rows",
            ),
        )
        .order_by("partner__organisation__legal_name", "partner_id", "funder__name", "pk")
    )
    may_add = permissions.may_add_line(user, project)
    may_rounds = permissions.may_manage_private_rounds(user, project)
    choices = Choices(project)
    today = timezone.localdate()
    for line in lines:
        _prepare_line(user, project, line, bound, choices, today)
    _label_choices(lines)

    by_partner = funding_by_partner(visible)
    funding = {
        "access": access,
        "groups": _groups(lines),
        "lines": lines,
        "totals": line_totals(visible) if lines else None,
        "repaid_total": _repaid_total(visible) if lines else ZERO,
        "chart": partner_chart(by_partner) if lines else "",
        "others": permissions.other_funding_totals(user, project),
        "notice": notice,
        "error": error,
        "stale": bound.stale,
        "today": today,
    }
    # The forms to add a line or a round are folded: only one posted with an error shows.
    if may_add:
        funding["may_add"] = True
        funding["line_form"] = bound.get("add")
        funding["line_form_open"] = funding["line_form"] is not None
    if access == permissions.ALL_LINES:
        # Each round comes with the total of them all (a window sum): one query for both.
        total = Window(Sum("amount"), output_field=MONEY)
        rounds = list(permissions.visible_private_rounds(user, project).annotate(all_rounds=total))
        funding["rounds"] = rounds
        funding["rounds_total"] = rounds[0].all_rounds if rounds else None
    else:
        funding["rounds_total"] = permissions.private_rounds_total(user, project)
    if may_rounds:
        funding["may_rounds"] = True
        funding["round_form"] = bound.get("round")
        funding["round_form_open"] = funding["round_form"] is not None
    return {"funding": funding}


# The kept section's forms carry this instead of a CSRF token; each page gets its own.
_TOKEN = "csrf-token-of-the-request"


def page_section(request, project, confidential):
    """The funding section of the project page, as ``section_context`` and its template make
    it, kept until the project's funding changes (``portal.snapshots``: its lines, tranches,
    repayments, rounds, partners; a funder's, programme's or organisation's name) or the day
    does (late tranches), per language and per what the viewer may see and do there: the
    access, the leaders' rights, the funders they review for. Those decide all the section
    says and offers; its forms' CSRF token is the request's own."""
    user = request.user
    access = permissions.funding_access(user, project) if confidential else None
    if access is None:
        return {"funding": None}
    viewer = {
        "project": project.pk,
        "access": access,
        "leads": project_permissions.may_change(user, project),
        "superuser": user.is_superuser,
        "funders": ",".join(str(pk) for pk in sorted(permissions.funder_ids(user))),
    }

    def render_section():
        context = section_context(request, project, confidential)
        return render_to_string(SECTION, {**context, "project": project, "csrf_token": _TOKEN})

    html = snapshots.cached_html(
        "project-funding",
        snapshots.project_scopes([project.pk]),
        viewer,
        render_section,
        as_of=timezone.localdate().isoformat(),
    )
    if _TOKEN in html:
        html = html.replace(_TOKEN, get_token(request))
    return {"funding_html": mark_safe(html)}  # rendered by the template, escaped there


def _prepare_line(user, project, line, bound, choices, today):
    """Tell the line what ``user`` may do with it, and give it the form that shows open."""
    line.project = project
    line.may_edit = permissions.may_edit_application(user, line)
    line.may_decide = permissions.may_decide(user, line)
    line.may_disburse = permissions.may_record_disbursement(user, line)
    line.may_repay = permissions.may_record_repayment(user, line)
    line.is_repaid = line.programme.instrument in Programme.REPAID
    line.scheduled = sum((d.amount for d in line.tranches if d.paid_date is None), ZERO)
    # A stale edit of the line, or of one of its tranches: said above its details.
    stale_here = bound.pk == line.pk and bound.kind in ("edit", "decision")
    for disbursement in line.tranches:
        disbursement.is_late = (
            disbursement.paid_date is None and disbursement.scheduled_date < today
        )
        disbursement.paid_form = bound.get("disbursement-paid", disbursement.pk)
        stale_here = stale_here or bound.is_about("disbursement-paid", disbursement.pk)
    for repayment in line.repayment_rows:
        repayment.is_late = repayment.paid_date is None and repayment.due_date < today
        repayment.paid_form = bound.get("repayment-paid", repayment.pk)
        stale_here = stale_here or bound.is_about("repayment-paid", repayment.pk)
    line.open_form = bound.pk == line.pk and bound.kind
    allowed = {
        "edit": line.may_edit,
        "decision": line.may_decide,
        "disbursement": line.may_disburse,
        "repayment": line.may_repay,
    }
    # The others stay folded; after a stale edit, a blank form shows the newer values.
    if allowed.get(line.open_form):
        form = bound.form or section_form(line.open_form, project, line, choices=choices)
        setattr(line, f"{line.open_form}_form", form)
    line.stale = bound.stale if stale_here else None


class Choices:
    """What the forms offer to choose from, read once, and only if a form is built."""

    def __init__(self, project):
        self.project = project

    @cached_property
    def partners(self):
        return list(self.project.partners.select_related("organisation"))

    @cached_property
    def programmes(self):
        programmes = Programme.objects.select_related("funder").order_by("funder__name")
        return programme_choices(programmes)


def section_form(kind, project, line=None, data=None, choices=None):
    """The section's form ``kind`` (add, round; edit, decision, disbursement, repayment of
    ``line``), bound to ``data`` when posted, otherwise blank or with the line's values."""
    choices = choices or Choices(project)
    if kind == "add":
        return LineForm(
            data,
            project=project,
            partners=choices.partners,
            programmes=choices.programmes,
            statuses=[Status.PLANNED, Status.APPLIED],
            auto_id="add-line-%s",
        )
    if kind == "round":
        return PrivateRoundForm(
            data, project=project, partners=choices.partners, auto_id="add-round-%s"
        )
    auto_id = f"line-{line.pk}-{kind}-%s"
    if kind == "edit":
        return LineEditForm.for_line(
            line,
            data,
            project=project,
            partners=choices.partners,
            programmes=choices.programmes,
            statuses=[line.status, *permissions.APPLICATION_MOVES.get(line.status, ())],
            auto_id=auto_id,
        )
    if kind == "decision":
        return DecisionForm.for_line(
            line,
            data,
            statuses=decision_statuses(line),
            cancellable=line.status in FundingLine.DECIDED,
            auto_id=auto_id,
        )
    if kind == "disbursement":
        return DisbursementForm(data, auto_id=auto_id)
    return RepaymentForm(data, auto_id=auto_id)


def decision_statuses(line):
    """The decision form offers the moves from the line's status (a granted line keeps its
    status while its decision is corrected)."""
    moves = permissions.DECISION_MOVES.get(line.status, set())
    keep = [line.status] if line.status == Status.GRANTED else []
    return keep + [s for s in Status if s in moves]


# --- Answering --------------------------------------------------------------------------------


def _section(request, project, bound=NOTHING_BOUND, notice="", status=200, error=""):
    """The section after a change (200), an error (400) or a stale edit (409)."""
    if not request.htmx and status == 200:
        if notice:
            messages.success(request, notice)
        return redirect(project.get_absolute_url() + "#funding")
    context = {
        "project": project,
        **section_context(request, project, True, bound, notice, error),
    }
    template = f"{SECTION}#section" if request.htmx else PAGE
    return render(request, template, context, status=status)


def _failed(request, project, bound, error):
    if isinstance(error, StaleEdit):
        bound.stale, bound.form = error, None
        return _section(request, project, bound, status=409)
    add_model_errors(bound.form, error)
    return _section(request, project, bound, status=400)


def _project(request, pk):
    return permissions.get_project_or_404(request.user, pk)


def _line(request, project, line_pk, need):
    line = permissions.line_or_404(request.user, project, line_pk)
    if not need(request.user, line):
        raise Http404
    return line


def _tranche(request, project, model, pk, need):
    tranche = get_object_or_404(
        model.objects.select_related("line__programme"), pk=pk, line__project=project
    )
    line = permissions.line_or_404(request.user, project, tranche.line_id)
    if not need(request.user, line):
        raise Http404
    tranche.line = line
    return tranche


def _folded(request, project, kind, line=None):
    """The section's form ``kind`` opened from its folded ``<details>``: blank, or with the
    line's values (``portal.folded``)."""
    form = section_form(kind, project, line)
    context = {"project": project, "line": line}
    if kind == "add":
        context["funding"] = {"line_form": form}
        heading, subject, back = _("Add a funding line"), "", "#funding"
    elif kind == "round":
        context["funding"] = {"round_form": form}
        heading, subject, back = _("Record a private round"), "", "#private-rounds"
    else:
        setattr(line, f"{kind}_form", form)
        heading = {
            "edit": _("Edit the application"),
            "decision": _("Record the decision")
            if line.status == Status.APPLIED
            else _("Correct the decision or close the line"),
            "disbursement": _("Record a disbursement"),
            "repayment": _("Add a repayment"),
        }[kind]
        subject = f"{line.programme.name}, {line.partner.organisation}"
        back = f"#line-{line.pk}"
    return folded_form(
        request,
        f"{SECTION}#{kind}_form",
        context,
        heading=heading,
        subject=subject,
        back=project.get_absolute_url() + back,
    )


@login_required
def funding_section(request, pk):
    """The section alone: its fragment with HTMX, a page of its own otherwise."""
    project = _project(request, pk)
    context = {"project": project, **section_context(request, project, True)}
    template = f"{SECTION}#section" if request.htmx else PAGE
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def line_add(request, pk):
    project = project_permissions.get_project_or_404(
        request.user, pk, need=permissions.may_add_line
    )
    if request.method == "GET":
        return _folded(request, project, "add")
    form = section_form("add", project, data=request.POST)
    bound = Bound("add", form)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    try:
        line = services.record_funding_line(project=project, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _failed(request, project, bound, error)
    notice = _("%(programme)s line of %(partner)s added.") % {
        "programme": line.programme.name,
        "partner": line.partner.organisation,
    }
    return _section(request, project, notice=notice)


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request, pk, line_pk):
    project = _project(request, pk)
    line = _line(request, project, line_pk, permissions.may_edit_application)
    if request.method == "GET":
        return _folded(request, project, "edit", line)
    form = section_form("edit", project, line, request.POST)
    bound = Bound("edit", form, line.pk)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.change_funding_line(line, expected_version=version, by=request.user, **data)
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Application saved."))


@login_required
@require_http_methods(["GET", "POST"])
def line_decide(request, pk, line_pk):
    project = _project(request, pk)
    line = _line(request, project, line_pk, permissions.may_decide)
    if request.method == "GET":
        return _folded(request, project, "decision", line)
    form = section_form("decision", project, line, request.POST)
    bound = Bound("decision", form, line.pk)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    try:
        services.change_funding_line(
            line,
            expected_version=form.cleaned_data["version"],
            by=request.user,
            **form.changes(),
        )
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Decision saved."))


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_add(request, pk, line_pk):
    project = _project(request, pk)
    line = _line(request, project, line_pk, permissions.may_record_disbursement)
    if request.method == "GET":
        return _folded(request, project, "disbursement", line)
    form = section_form("disbursement", project, line, request.POST)
    bound = Bound("disbursement", form, line.pk)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    try:
        services.record_disbursement(line, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Disbursement recorded."))


@login_required
@require_POST
def disbursement_paid(request, pk, disbursement_pk):
    project = _project(request, pk)
    disbursement = _tranche(
        request, project, Disbursement, disbursement_pk, permissions.may_record_disbursement
    )
    form = PaidForm(request.POST, auto_id=f"disbursement-{disbursement.pk}-%s")
    bound = Bound("disbursement-paid", form, disbursement.pk)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    data = dict(form.cleaned_data)
    try:
        services.change_disbursement(
            disbursement, expected_version=data.pop("version"), by=request.user, **data
        )
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Disbursement marked paid."))


@login_required
@require_POST
def disbursement_delete(request, pk, disbursement_pk):
    project = _project(request, pk)
    disbursement = _tranche(
        request, project, Disbursement, disbursement_pk, permissions.may_record_disbursement
    )
    try:
        services.delete_disbursement(disbursement, by=request.user)
    except ValidationError as error:
        return _section(request, project, error=" ".join(error.messages), status=400)
    return _section(request, project, notice=_("Disbursement removed."))


@login_required
@require_http_methods(["GET", "POST"])
def repayment_add(request, pk, line_pk):
    project = _project(request, pk)
    line = _line(request, project, line_pk, permissions.may_record_repayment)
    if request.method == "GET":
        return _folded(request, project, "repayment", line)
    form = section_form("repayment", project, line, request.POST)
    bound = Bound("repayment", form, line.pk)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    try:
        services.record_repayment(line, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Repayment recorded."))


@login_required
@require_POST
def repayment_paid(request, pk, repayment_pk):
    project = _project(request, pk)
    repayment = _tranche(
        request, project, Repayment, repayment_pk, permissions.may_record_repayment
    )
    form = PaidForm(request.POST, auto_id=f"repayment-{repayment.pk}-%s")
    bound = Bound("repayment-paid", form, repayment.pk)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    data = dict(form.cleaned_data)
    try:
        services.change_repayment(
            repayment, expected_version=data.pop("version"), by=request.user, **data
        )
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Repayment marked paid."))


@login_required
@require_POST
def repayment_delete(request, pk, repayment_pk):
    project = _project(request, pk)
    repayment = _tranche(
        request, project, Repayment, repayment_pk, permissions.may_record_repayment
    )
    services.delete_repayment(repayment, by=request.user)
    return _section(request, project, notice=_("Repayment removed."))


@login_required
@require_http_methods(["GET", "POST"])
def round_add(request, pk):
    project = project_permissions.get_project_or_404(
        request.user, pk, need=permissions.may_manage_private_rounds
    )
    if request.method == "GET":
        return _folded(request, project, "round")
    form = section_form("round", project, data=request.POST)
    bound = Bound("round", form)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    try:
        services.record_private_round(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Private round recorded."))


@login_required
@require_POST
def round_delete(request, pk, round_pk):
    project = project_permissions.get_project_or_404(
        request.user, pk, need=permissions.may_manage_private_rounds
    )
    private_round = get_object_or_404(PrivateRound, pk=round_pk, partner__project=project)
    services.delete_private_round(private_round, by=request.user)
    return _section(request, project, notice=_("Private round removed."))
