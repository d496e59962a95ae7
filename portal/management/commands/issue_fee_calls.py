"""Call the year's membership fee of every active member of a pole: run it once a year (or
again after new members joined: nobody is called twice for the same year)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal import services
from portal.models import Pole


class Command(BaseCommand):
    help = "Issue the yearly fee calls of a pole's active members (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--pole", type=int, required=True, help="The pole's id.")
        parser.add_argument("--year", type=int, default=None, help="Default: this year.")
        parser.add_argument(
            "--due-date",
            type=datetime.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD; default: 30 days from today.",
        )

    def handle(self, *args, pole, year=None, due_date=None, **options):
        try:
            pole = Pole.objects.get(pk=pole)
        except Pole.DoesNotExist:
            raise CommandError(f"No pole with id {pole}.") from None
        year = year or timezone.localdate().year
        try:
            created, skipped = services.issue_fee_calls(pole, year, due_date=due_date)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{len(created)} fee call(s) of {year} issued for {pole}.")
        for membership, reason in skipped:
            self.stderr.write(f"Skipped {membership.organisation}: {reason}")
