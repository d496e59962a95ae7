"""Membership fees, for the pole's staff: the fee schedule of a year and its income, the fee
calls and their payments, the exports for the accountant."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import permissions, services
from .exports import Column, export_response
from .figures import CallStatus, fee_income, remaining_due, with_balance
from .forms_utils import add_model_errors
from .membership_forms import (
    FeeCallFilterForm,
    FeeScheduleForm,
    IssueCallsForm,
    PaymentForm,
    YearForm,
    this_year,
    year_from,
)
from .models import FeeSchedule, Organisation, Payment
from .modelutils import StaleEdit
from .validators import searchable

CATEGORY_ORDER = {code: i for i, code in enumerate(Organisation.Category.values)}


def _fees_url(pole, year):
    return reverse("fee_schedule", args=[pole.pk]) + f"?year={year}"


def _schedule(pole, year):
    rows = FeeSchedule.objects.filter(pole=pole, year=year)
    return sorted(rows, key=lambda r: (CATEGORY_ORDER.get(r.category, 99), r.min_headcount))


@login_required
def fee_schedule(request, pole_pk, row_form=None, issue_form=None):
    """The fee schedule of a year, the fee income of that year by category, and the calls."""
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    year = year_from(request.GET.get("year"))
    rows = _schedule(pole, year)
    for row in rows:
        row.band = services.describe_band(row.min_headcount, row.max_headcount)
    has_previous = FeeSchedule.objects.filter(pole=pole, year=year - 1).exists()
    return render(
        request,
        "portal/fee_schedule.html",
        {
            "pole": pole,
            "year": year,
            "rows": rows,
            "row_form": row_form or FeeScheduleForm(),
            "issue_form": issue_form or IssueCallsForm(initial={"year": year}),
            "may_copy": not rows and has_previous,
            "income": fee_income(pole, year),
        },
        status=400 if (row_form or issue_form) else 200,
    )


@login_required
@require_POST
def fee_row_add(request, pole_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    year = year_from(request.GET.get("year"))
    form = FeeScheduleForm(request.POST, instance=FeeSchedule(pole=pole, year=year))
    if form.is_valid():
        try:
            services.save_fee_schedule(form.instance)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Fee added to the %(year)s schedule.") % {"year": year})
            return redirect(_fees_url(pole, year))
    return fee_schedule(request, pole_pk, row_form=form)


def _row_or_404(request, pole_pk, row_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    return get_object_or_404(
        permissions.staff_fee_schedules(request.user).select_related("pole"), pk=row_pk, pole=pole
    )


@login_required
def fee_row_edit(request, pole_pk, row_pk):
    row = _row_or_404(request, pole_pk, row_pk)
    form = FeeScheduleForm(request.POST or None, instance=row)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_fee_schedule(row, expected_version=form.cleaned_data["version"])
        except StaleEdit as error:
            form, status = form.with_newer_values(error), 409
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Fee schedule updated."))
            return redirect(_fees_url(row.pole, row.year))
    return render(
        request,
        "portal/fee_row_form.html",
        {"form": form, "row": form.instance, "pole": row.pole},
        status=400 if form.errors else status,
    )


@login_required
@require_POST
def fee_row_delete(request, pole_pk, row_pk):
    row = _row_or_404(request, pole_pk, row_pk)
    services.delete_fee_schedule(row)
    messages.success(request, _("Fee removed from the %(year)s schedule.") % {"year": row.year})
    return redirect(_fees_url(row.pole, row.year))


@login_required
@require_POST
def fee_schedule_copy(request, pole_pk):
    """Start a year's schedule with the previous year's rows."""
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the year to fill."))
        return redirect("fee_schedule", pole.pk)
    year = form.cleaned_data["year"]
    try:
        services.copy_fee_schedule(pole, year - 1, year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The %(year)s schedule starts with the fees of %(previous)s: check them.")
            % {"year": year, "previous": year - 1},
        )
    return redirect(_fees_url(pole, year))


@login_required
@require_POST
def fee_calls_issue(request, pole_pk):
    """Call the year's fee of every active member not called yet."""
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    form = IssueCallsForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            created, skipped = services.issue_fee_calls(
                pole, year, due_date=form.cleaned_data["due_date"]
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                _("%(n)s fee call(s) of %(year)s issued; the members were told.")
                % {"n": len(created), "year": year},
            )
            for membership, reason in skipped:
                messages.warning(
                    request,
                    _("%(organisation)s was not called: %(reason)s")
                    % {"organisation": membership.organisation, "reason": reason},
                )
            return redirect(_fees_url(pole, year))
    return fee_schedule(request, pole_pk, issue_form=form)


# Fee calls and payments


def _filtered_calls(request, pole):
    """The pole's fee calls with their balance, filtered by year, payment status and name."""
    form = FeeCallFilterForm(request.GET or None)
    calls = with_balance(permissions.staff_fee_calls(request.user).filter(membership__pole=pole))
    year = this_year()
    if form.is_valid():
        data = form.cleaned_data
        year = data["year"] or year
        if data["status"]:
            calls = calls.filter(payment_status=data["status"])
        q = searchable(data["q"])
        if q:
            calls = calls.filter(membership__organisation__search_text__contains=q)
    calls = calls.filter(year=year).select_related("membership__organisation")
    return form, year, calls.order_by("membership__organisation__legal_name", "pk")


@login_required
def fee_call_list(request, pole_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    form, year, calls = _filtered_calls(request, pole)
    page = Paginator(calls, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "pole": pole,
        "form": form,
        "year": year,
        "page": page,
        "export_query": query.urlencode(),
        "statuses": CallStatus,
    }
    template = "portal/fee_call_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#calls"
    return render(request, template, context)


def _call_or_404(request, pole_pk, pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    return get_object_or_404(
        with_balance(permissions.staff_fee_calls(request.user)).select_related(
            "membership__organisation", "membership__pole"
        ),
        pk=pk,
        membership__pole=pole,
    )


def _call_context(call, form=None, notice=""):
    payments = call.payments.select_related("recorded_by").order_by("paid_on", "pk")
    settled = call.payment_status == CallStatus.PAID
    return {
        "call": call,
        "pole": call.membership.pole,
        "membership": call.membership,
        "payments": list(payments),
        "form": None if settled else (form or PaymentForm(remaining=call.remaining)),
        "notice": notice,
    }


@login_required
def fee_call_detail(request, pole_pk, pk):
    call = _call_or_404(request, pole_pk, pk)
    return render(request, "portal/fee_call_detail.html", _call_context(call))


@login_required
@require_POST
def payment_add(request, pole_pk, pk):
    """Record a payment; with HTMX, the payments part of the page answers."""
    call = _call_or_404(request, pole_pk, pk)
    form = PaymentForm(request.POST, remaining=remaining_due(call))
    if form.is_valid():
        try:
            services.record_payment(call, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            notice = _("Payment recorded.")
            if not request.htmx:
                messages.success(request, notice)
                return redirect("fee_call_detail", call.membership.pole_id, call.pk)
            call = _call_or_404(request, pole_pk, pk)
            return render(
                request,
                "portal/fee_call_detail.html#payments",
                _call_context(call, notice=notice),
            )
    template = "portal/fee_call_detail.html"
    if request.htmx:
        template += "#payments"
    return render(request, template, _call_context(call, form), status=400)


# Exports for the accountant

CALL_COLUMNS = [
    Column(gettext_lazy("Year"), "year", "integer"),
    Column(gettext_lazy("Organisation"), "membership.organisation.legal_name"),
    Column(gettext_lazy("SIREN"), "membership.organisation.siren", "text"),
    Column(gettext_lazy("Category"), "membership.organisation.get_category_display"),
    Column(gettext_lazy("Headcount"), "membership.organisation.headcount", "integer"),
    Column(gettext_lazy("Issued on"), "issued_on", "date"),
    Column(gettext_lazy("Due date"), "due_date", "date"),
    Column(gettext_lazy("Amount called"), "amount", "money"),
    Column(gettext_lazy("Paid"), "paid", "money"),
    Column(gettext_lazy("Remaining"), "remaining", "money"),
    Column(gettext_lazy("Status"), lambda call: str(CallStatus(call.payment_status).label)),
    Column(gettext_lazy("Payments"), lambda call: len(call.payments.all()), "integer"),
    Column(
        gettext_lazy("Last payment"),
        lambda call: max((p.paid_on for p in call.payments.all()), default=None),
        "date",
    ),
    Column(
        gettext_lazy("References"),
        lambda call: "; ".join(p.reference for p in call.payments.all() if p.reference),
    ),
]

PAYMENT_COLUMNS = [
    Column(gettext_lazy("Paid on"), "paid_on", "date"),
    Column(gettext_lazy("Amount"), "amount", "money"),
    Column(gettext_lazy("Reference"), "reference", "text"),
    Column(gettext_lazy("Year"), "fee_call.year", "integer"),
    Column(gettext_lazy("Organisation"), "fee_call.membership.organisation.legal_name"),
    Column(gettext_lazy("SIREN"), "fee_call.membership.organisation.siren", "text"),
    Column(gettext_lazy("Amount called"), "fee_call.amount", "money"),
    Column(gettext_lazy("Recorded by"), lambda payment: str(payment.recorded_by or "")),
]


@login_required
def fee_calls_export(request, pole_pk, fmt):
    """The fee calls of the list's filters, with their payments, as CSV or XLSX."""
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    _form, year, calls = _filtered_calls(request, pole)
    calls = calls.prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("pk")))
    name = f"{pole.short_name or pole.name} fee calls {year}"
    # A list, not a queryset: the export would iterate it without its prefetched payments.
    return export_response(name, CALL_COLUMNS, list(calls), fmt, sheet_title=_("Fee calls"))


@login_required
def payments_export(request, pole_pk, fmt):
    """The payments of the list's fee calls, one line each, as CSV or XLSX."""
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    _form, year, calls = _filtered_calls(request, pole)
    payments = (
        permissions.visible_payments(request.user)
        .filter(fee_call__in=calls.values("pk"))
        .select_related("fee_call__membership__organisation", "recorded_by")
        .order_by("paid_on", "pk")
    )
    name = f"{pole.short_name or pole.name} payments {year}"
    return export_response(name, PAYMENT_COLUMNS, payments, fmt, sheet_title=_("Payments"))
