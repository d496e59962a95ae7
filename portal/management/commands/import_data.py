"""Load a copy written by ``export_data`` into a new, migrated, empty database, and check
that it holds exactly what was saved (rows per table, the money of each project)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "Load a file written by export_data into an empty database, and check it."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by export_data")

    def handle(self, *args, path, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No file {source}.")
        filled = backup.filled_models()
        if filled:
            raise CommandError(
                "The database already holds data (" + ", ".join(filled[:5]) + "…): import into "
                "a new database (`manage.py migrate` on an empty one), never over live data."
            )
        try:
            saved, found = backup.import_from(source)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(
                f"{source} is not a file written by export_data ({error})."
            ) from None
        if found:
            raise CommandError(
                "The data loaded differs from what was saved, so nothing was kept:\n  "
                + "\n  ".join(found)
            )
        rows = sum(saved["rows"].values())
        self.stdout.write(
            f"Loaded {rows} rows; every table's count and every project's money match the export."
        )
