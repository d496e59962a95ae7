"""Remind members of their overdue fees: run it daily (cron, systemd timer). Each overdue fee
call is reminded once a fortnight at most, however often the command runs."""

import datetime

from django.core.management.base import BaseCommand

from portal import services


class Command(BaseCommand):
    help = "Remind the admins of members whose fee is overdue (once per 14 days per fee call)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: the day the reminders are sent for (default: today).",
        )

    def handle(self, *args, today=None, **options):
        reminded = services.remind_overdue_fees(today=today)
        self.stdout.write(f"{len(reminded)} overdue fee call(s) reminded.")
