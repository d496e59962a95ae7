"""Move memberships along their dates: run it daily. New in the first year, current while paid
up, in the grace period (MEMBERSHIP_GRACE_DAYS) after the end date while the fee is unpaid,
expired after; a status set by hand by the pole's staff stays."""

import datetime

from django.core.management.base import BaseCommand

from portal import services


class Command(BaseCommand):
    help = "Update membership statuses from their dates and paid fees (statuses set by hand stay)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: the day to compute the statuses for (default: today).",
        )

    def handle(self, *args, today=None, **options):
        moved = services.update_membership_statuses(today=today)
        total = sum(moved.values())
        detail = ", ".join(f"{status} {n}" for status, n in sorted(moved.items()))
        self.stdout.write(f"{total} membership(s) moved" + (f": {detail}." if detail else "."))
