"""Remind the leaders of the outcome reports still to submit: run it daily (cron, systemd
timer). A report is reminded once in the week before its due date, then the day after it is
late and weekly after that, however often the command runs (``reminded_on``); submitted and
validated reports are not."""

import datetime

from django.core.management.base import BaseCommand

from outcomes import services


class Command(BaseCommand):
    help = (
        "Remind the leaders of outcome reports due within a week (once) and of late ones (weekly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            "--today",
            dest="today",
            type=datetime.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: the day the reminders are sent for (default: today).",
        )

    def handle(self, *args, today=None, **options):
        reminded = services.send_reminders(today=today)
        self.stdout.write(f"{reminded} outcome report(s) reminded.")
