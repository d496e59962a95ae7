"""Import EU research projects from a CORDIS release (project.csv and organization.csv), so that
each pole sees its members' European projects. What the import decides is in the docstring of
``funding.cordis``.

Exit status: 0 when the import was written (or, with --dry-run, would be), bad rows skipped and
reported; 1 when --strict met a bad row (nothing written); 2 when a file is refused (nothing
written). The report and the bad rows go to stdout, the progress to stderr.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from funding.cordis import (
    CREATED,
    FAILED,
    REMOVED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    StrictStop,
    import_cordis,
)
from portal.imports import FileRefused

ROWS_REFUSED, FILE_REFUSED = 1, 2


def _size(count):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024


class Progress:
    """Bytes read out of both files' size on stderr, with the rows read: a bar redrawn in place
    on a terminal, a plain line every ``every`` rows (and at the end) otherwise."""

    def __init__(self, stream, every=10_000, width=30):
        self.stream = stream
        self.tty = stream.isatty()
        self.every = every
        self.width = width
        self.last = 0.0
        self.next_line = every

    def __call__(self, done, total, rows):
        finished = done >= total
        if self.tty:
            now = time.monotonic()
            if not finished and now - self.last < 0.1:
                return
            self.last = now
            filled = int(self.width * done / total) if total else self.width
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"\r[{bar}] {_size(done)}/{_size(total)}, {rows} " + _("rows")
            self.stream.write(text, ending="\n" if finished else "")
            self.stream.flush()
        elif finished or rows >= self.next_line:
            self.next_line = rows + self.every
            self.stream.write(f"{_size(done)}/{_size(total)}, {rows} " + _("rows"))


class Command(BaseCommand):
    help = (
        "Import EU research projects from a CORDIS release: its project.csv and "
        "organization.csv (';'-separated UTF-8). By default only the projects in which a "
        "member of a pole takes part (and those imported before). Exit status: 0 imported "
        "(or would be, with --dry-run), 1 a bad row with --strict, 2 a file refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("projects", help="the release's project.csv")
        parser.add_argument("organisations", help="the release's organization.csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be done, write nothing"
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="import_all",
            help="import every project, not only those of the poles' members",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="stop at the first bad row and import nothing (otherwise bad rows are "
            "reported and skipped)",
        )

    def handle(self, *args, projects, organisations, dry_run, import_all, strict, **options):
        verbose = options["verbosity"] >= 1
        try:
            with open(projects, "rb") as projects_file, open(organisations, "rb") as orgs_file:
                report = import_cordis(
                    projects_file,
                    orgs_file,
                    projects_name=projects,
                    organisations_name=organisations,
                    dry_run=dry_run,
                    import_all=import_all,
                    strict=strict,
                    progress=Progress(self.stderr) if verbose else None,
                    log=self.stdout.write,
                )
        except OSError as error:
            raise CommandError(str(error), returncode=FILE_REFUSED) from error
        except StrictStop as error:
            raise CommandError(" ".join(error.messages), returncode=ROWS_REFUSED) from error
        except FileRefused as error:
            raise CommandError(
                _("File refused: %(reason)s") % {"reason": " ".join(error.messages)},
                returncode=FILE_REFUSED,
            ) from error
        self.write_report(report)

    def write_report(self, report):
        out = self.stdout
        out.write(
            _("CORDIS import — %(mode)s, %(scope)s")
            % {
                "mode": _("dry run, nothing written") if report.dry_run else _("real run"),
                "scope": _("every project")
                if report.import_all
                else _("the projects of the poles' members"),
            }
        )
        out.write(
            _(
                "Read: %(projects)s project rows, %(organisations)s organisation rows, "
                "%(bad)s bad row(s) skipped, %(warnings)s warning(s)."
            )
            % {
                "projects": report.project_rows,
                "organisations": report.organisation_rows,
                "bad": report.bad_rows,
                "warnings": report.warnings,
            }
        )
        for counts, done, would in (
            (
                report.projects,
                _(
                    "Projects: %(created)s created, %(updated)s updated, %(unchanged)s "
                    "unchanged, %(skipped)s skipped (no member of a pole), %(failed)s refused."
                ),
                _(
                    "Projects: %(created)s to create, %(updated)s to update, %(unchanged)s "
                    "unchanged, %(skipped)s skipped (no member of a pole), %(failed)s refused."
                ),
            ),
            (
                report.partners,
                _(
                    "Partners: %(created)s created, %(updated)s updated, %(unchanged)s "
                    "unchanged, %(removed)s removed."
                ),
                _(
                    "Partners: %(created)s to create, %(updated)s to update, %(unchanged)s "
                    "unchanged, %(removed)s to remove."
                ),
            ),
            (
                report.lines,
                _(
                    "EU funding lines: %(created)s created, %(updated)s updated, %(unchanged)s "
                    "unchanged, %(removed)s removed."
                ),
                _(
                    "EU funding lines: %(created)s to create, %(updated)s to update, "
                    "%(unchanged)s unchanged, %(removed)s to remove."
                ),
            ),
        ):
            counts = {a: counts[a] for a in (CREATED, UPDATED, UNCHANGED, REMOVED, SKIPPED, FAILED)}
            out.write((would if report.dry_run else done) % counts)
        matched = report.matched
        out.write(
            _(
                "Partners' organisations: %(pic)s found by PIC, %(vat)s by VAT number, "
                "%(siren)s by the SIREN in their VAT number, %(name)s by name, %(created)s "
                "created; %(completed)s given their PIC or VAT number."
            )
            % {
                "pic": matched["pic"],
                "vat": matched["vat"],
                "siren": matched["siren"],
                "name": matched["name"],
                "created": matched["created"],
                "completed": report.organisations_completed,
            }
        )
        if report.orphan_projects:
            out.write(
                _(
                    "%(n)s project(s) of organization.csv are not in project.csv: their rows "
                    "were left aside."
                )
                % {"n": report.orphan_projects}
            )
        out.write(
            _("%(rows)s rows in %(seconds).1f s (%(rate).0f rows/s).")
            % {
                "rows": report.rows,
                "seconds": report.seconds,
                "rate": report.rows_per_second,
            }
        )
