"""The amounts of each funding line, summed by the database with the meanings of
``funding.figures``: disbursed (its tranches paid), remaining (granted − cancelled −
disbursed, None until granted), repaid (its repayments made)."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from .figures import with_amounts
from .models import Repayment

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0.00")


def _repaid():
    paid = (
        Repayment.objects.filter(line=OuterRef("pk"), paid_date__isnull=False)
        .order_by()
        .values("line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(paid, output_field=MONEY), ZERO, output_field=MONEY)


def with_line_amounts(lines):
    """``lines``, each annotated with ``disbursed``, ``remaining`` and ``repaid``."""
    return with_amounts(lines).annotate(repaid=_repaid())
