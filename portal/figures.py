"""Membership fees as the database sums them: each fee call's balance and status, and the fee
income of a pole's year by category of member. Reads only."""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Sum,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import FeeCall, Organisation, Payment
from .permissions import OPEN_APPLICATION, staff_applications, staff_poles

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")
# SQLite sums decimals as floats: a balance within half a cent of zero is settled.
HALF_CENT = Decimal("0.005")


class CallStatus(TextChoices):
    DUE = "due", pgettext_lazy("fee call status", "due")
    PARTIAL = "partial", pgettext_lazy("fee call status", "partially paid")
    PAID = "paid", pgettext_lazy("fee call status", "paid")
    OVERDUE = "overdue", pgettext_lazy("fee call status", "overdue")


def with_balance(fee_calls, today=None):
    """``fee_calls`` annotated with ``paid`` (the sum of their payments), ``remaining`` and
    ``payment_status`` (a ``CallStatus``): overdue once the due date has passed unpaid."""
    today = today or timezone.localdate()
    paid = (
        Payment.objects.filter(fee_call=OuterRef("pk"))
        .order_by()
        .values("fee_call")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        fee_calls.annotate(
            paid=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY)
        )
        .annotate(remaining=ExpressionWrapper(F("amount") - F("paid"), output_field=MONEY))
        .annotate(
            payment_status=Case(
                When(remaining__lt=HALF_CENT, then=Value(CallStatus.PAID.value)),
                When(due_date__lt=today, then=Value(CallStatus.OVERDUE.value)),
                When(paid__gt=ZERO, then=Value(CallStatus.PARTIAL.value)),
                default=Value(CallStatus.DUE.value),
                output_field=CharField(),
            )
        )
    )


def remaining_due(fee_call):
    """What remains to pay on ``fee_call``, summed by the database."""
    paid = fee_call.payments.aggregate(total=Sum("amount"))["total"] or ZERO
    return (fee_call.amount - paid).quantize(Decimal("0.01"))


def fee_income(pole, year, today=None):
    """The fee income of ``pole``'s ``year`` by category of member: calls, called, paid,
    outstanding, overdue; and the totals. Three queries, whatever the number of members."""
    calls = FeeCall.objects.filter(membership__pole=pole, year=year)
    category = "membership__organisation__category"
    called = {
        row[category]: row
        for row in calls.order_by()
        .values(category)
        .annotate(calls=Count("pk"), called=Sum("amount"))
    }
    paid = dict(
        Payment.objects.filter(fee_call__in=calls)
        .order_by()
        .values_list(f"fee_call__{category}")
        .annotate(total=Sum("amount"))
    )
    overdue = dict(
        with_balance(calls, today)
        .filter(payment_status=CallStatus.OVERDUE)
        .order_by()
        .values_list(category)
        .annotate(n=Count("pk"))
    )
    rows = []
    for code, label in Organisation.Category.choices:
        if code not in called:
            continue
        row_paid = paid.get(code) or ZERO
        rows.append(
            {
                "category": code,
                "label": label,
                "calls": called[code]["calls"],
                "called": called[code]["called"],
                "paid": row_paid,
                "outstanding": called[code]["called"] - row_paid,
                "overdue": overdue.get(code, 0),
            }
        )
    total = {
        "label": _("Total"),
        "calls": sum(r["calls"] for r in rows),
        "called": sum((r["called"] for r in rows), ZERO),
        "paid": sum((r["paid"] for r in rows), ZERO),
        "overdue": sum(r["overdue"] for r in rows),
    }
    total["outstanding"] = total["called"] - total["paid"]
    return {"pole": pole, "year": year, "rows": rows, "total": total}


def membership_desks(user, today=None):
    """For each pole ``user`` works for: the applications awaiting a decision and the fee
    income of the year, for the staff's home page."""
    poles = list(staff_poles(user).order_by("name"))
    if not poles:
        return []
    today = today or timezone.localdate()
    pending = dict(
        staff_applications(user)
        .filter(status__in=OPEN_APPLICATION)
        .order_by()
        .values_list("pole")
        .annotate(n=Count("pk"))
    )
    return [
        {
            "pole": pole,
            "year": today.year,
            "pending": pending.get(pole.pk, 0),
            "income": fee_income(pole, today.year, today)["total"],
        }
        for pole in poles
    ]
