"""The inventory of the database (rows per table, a checksum of the money of each project):
write it before a backup, compare after a restore (``pg_dump``/``pg_restore`` or SQLite's
``.backup``) to know nothing was lost."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "Print the database's inventory as JSON, or compare it with one saved earlier."

    def add_arguments(self, parser):
        parser.add_argument("--compare", metavar="FILE", help="an inventory written earlier")

    def handle(self, *args, compare=None, **options):
        now = backup.inventory()
        if not compare:
            self.stdout.write(json.dumps(now, indent=1, sort_keys=True))
            return
        try:
            before = json.loads(Path(compare).read_text(encoding="utf-8"))
            before = before.get("inventory", before)
            found = backup.differences(before, now)
        except (OSError, ValueError, KeyError, AttributeError) as error:
            raise CommandError(f"{compare} is not an inventory ({error}).") from None
        if found:
            raise CommandError("The database differs:\n  " + "\n  ".join(found))
        self.stdout.write(
            f"Same data: {sum(now['rows'].values())} rows, the money of "
            f"{len(now['project_money'])} projects."
        )
