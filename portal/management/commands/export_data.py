"""Write a portable copy of the whole database (JSON, gzipped with a .gz name) with its
inventory: rows per table and a checksum of the money of each project (``portal.backup``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "Write every row of the portal to a JSON file (.json or .json.gz), with its inventory."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to write, e.g. grappe-2026-11-27.json.gz")
        parser.add_argument("--force", action="store_true", help="replace an existing file")

    def handle(self, *args, path, force=False, **options):
        target = Path(path)
        if target.exists() and not force:
            raise CommandError(f"{target} exists: choose another name, or pass --force.")
        if not target.parent.is_dir():
            raise CommandError(f"No folder {target.parent}.")
        partial = target.with_name(f".partial-{target.name}")  # the same ending: .gz or not
        described = backup.export_to(partial)
        partial.replace(target)  # never half a file under its name
        rows = sum(described["rows"].values())
        self.stdout.write(
            f"Wrote {target}: {rows} rows of {len(described['rows'])} tables, the money of "
            f"{len(described['project_money'])} projects."
        )
