"""Import a pole's members from a spreadsheet (CSV or XLSX with French headers).

Exit status: 0 when the import was written (or, with --dry-run, would be), 1 when rows are
rejected and --skip-invalid was not given (nothing written), 2 when the file itself or the
pole is refused. The report goes to stdout, the progress to stderr.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.imports import REJECT, FileRefused, import_members
from portal.models import Pole

ROWS_REFUSED, FILE_REFUSED = 1, 2


class Progress:
    """Rows done out of the total on stderr: a bar redrawn in place on a terminal, a plain line
    every ``every`` rows (and at the end) otherwise, so that logs stay readable."""

    def __init__(self, stream, every=500, width=30):
        self.stream = stream
        self.tty = stream.isatty()
        self.every = every
        self.width = width
        self.last = 0.0

    def __call__(self, done, total):
        finished = total is not None and done >= total
        if self.tty:
            now = time.monotonic()
            if not finished and now - self.last < 0.1:
                return
            self.last = now
            if total:
                filled = int(self.width * done / total)
                bar = "#" * filled + "-" * (self.width - filled)
                text = f"\r[{bar}] {done}/{total}"
            else:
                text = f"\r{done}"
            self.stream.write(text + " " + _("rows"), ending="\n" if finished else "")
            self.stream.flush()
        elif finished or done % self.every == 0:
            self.stream.write(f"{done}/{total if total is not None else '?'} " + _("rows"))


class Command(BaseCommand):
    help = (
        "Import the members of a pole from a spreadsheet (CSV with ; , or tab separators, "
        "UTF-8 or Latin-1, or XLSX) with French headers. Exit status: 0 imported (or would be, "
        "with --dry-run), 1 rows rejected (nothing written), 2 file or pole refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--pole", type=int, required=True, help="the pole's id")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be done, write nothing"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows and skip the rejected ones (otherwise nothing is "
            "imported while a row is rejected)",
        )

    def handle(self, *args, file, pole, dry_run, skip_invalid, **options):
        try:
            pole_obj = Pole.objects.get(pk=pole)
        except Pole.DoesNotExist:
            raise CommandError(
                _("No pole has the id %(id)s.") % {"id": pole}, returncode=FILE_REFUSED
            ) from None
        try:
            with open(file, "rb") as stream:
                report = import_members(
                    stream,
                    pole_obj,
                    name=file,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    progress=Progress(self.stderr),
                )
        except OSError as error:
            raise CommandError(str(error), returncode=FILE_REFUSED) from error
        except FileRefused as error:
            raise CommandError(
                _("File refused: %(reason)s") % {"reason": " ".join(error.messages)},
                returncode=FILE_REFUSED,
            ) from error
        self.write_report(report)
        if report.refused:
            raise CommandError(
                _(
                    "%(n)s rejected row(s): nothing is imported. Correct them, or pass "
                    "--skip-invalid to import the valid rows only."
                )
                % {"n": len(report.rejected)},
                returncode=ROWS_REFUSED,
            )

    def write_report(self, report):
        out = self.stdout
        out.write(
            _("Import of %(file)s into %(pole)s — %(mode)s")
            % {
                "file": report.file_name,
                "pole": report.pole,
                "mode": _("dry run, nothing written") if report.dry_run else _("real run"),
            }
        )
        details = [report.kind]
        if report.encoding:
            details.append(_("encoding: %(e)s") % {"e": report.encoding_label})
        if report.delimiter:
            details.append(_("separator: %(d)s") % {"d": report.delimiter_label})
        out.write(", ".join(str(d) for d in details))
        if report.ignored_columns:
            out.write(
                _("Ignored columns: %(columns)s")
                % {"columns": ", ".join(f"« {c} »" for c in report.ignored_columns)}
            )
        labels = {
            "create": _("create"),
            "update": _("update"),
            "unchanged": _("unchanged"),
            REJECT: _("REJECTED"),
        }
        for row in report.rows:
            who = row.name or "—"
            if row.siren:
                who += f" (SIREN {row.siren})"
            line = _("Row %(n)s: %(action)s %(who)s") % {
                "n": row.number,
                "action": labels[row.action],
                "who": who,
            }
            out.write(line)
            for error in row.errors:
                out.write(f"    ✗ {error}")
            for change in row.changes:
                out.write(f"    {change.label}: {change.old} → {change.new}")
            if row.membership:
                out.write(f"    {row.membership}")
            if row.contact_action == "attached":
                out.write("    " + _("contact attached: %(e)s") % {"e": row.contact_email})
        if report.contacts_to_invite:
            out.write(_("Contacts to invite (no account was created):"))
            for row in report.contacts_to_invite:
                out.write(f"    {row.contact_email}\t{row.contact_name}\t{row.name}")
        summary = _(
            "%(created)s to create, %(updated)s to update, %(unchanged)s unchanged, "
            "%(rejected)s rejected."
        )
        if report.committed:
            summary = _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(rejected)s rejected and skipped."
            )
        out.write(
            summary
            % {
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "rejected": len(report.rejected),
            }
        )
