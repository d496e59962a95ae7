"""Daily: delete what is kept only for a while (settings.RETENTION_DAYS, README)."""

from django.core.management.base import BaseCommand

from portal import privacy


class Command(BaseCommand):
    help = "Delete notifications, sign-in records, invitations and task results past retention."

    def handle(self, *args, **options):
        deleted = privacy.apply_retention()
        days = privacy.retention_days()
        for what, count in deleted.items():
            self.stdout.write(f"{what}: {count} deleted (kept {days[what]} days)")
