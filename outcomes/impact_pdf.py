"""The yearly impact report of a pole as a PDF: dozens of pages, so a background task makes it
(Django's tasks framework, the django-tasks-db backend, a worker run by
``manage.py db_worker``) while the page shows its progress; the finished file is kept until
the figures it shows change, then made again on request.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from portal.pdf import figures_json, render_pdf

from .impact_dashboard import impact_charts, impact_tables
from .impact_report import build_report, report_figures
from .models import ImpactReportFile

Status = ImpactReportFile.Status
WORKING = {Status.QUEUED, Status.RUNNING}


def fingerprint(pole, year):
    """A digest of the figures the report of ``pole`` for ``year`` shows now."""
    return hashlib.sha256(figures_json(report_figures(build_report(pole, year)))).hexdigest()


def report_file(pole, year, language):
    return ImpactReportFile.objects.filter(pole=pole, year=year, language=language).first()


def is_current(report, current_fingerprint):
    """Whether ``report`` is a finished file showing today's figures."""
    return (
        report is not None
        and report.status == Status.DONE
        and bool(report.file)
        and report.fingerprint == current_fingerprint
    )


def request_report(pole, year, language, *, by=None):
    """Queue the generation of the report (once: a request while one is queued or running
    returns that one)."""
    with transaction.atomic():
        report, _created = ImpactReportFile.objects.select_for_update().get_or_create(
            pole=pole, year=year, language=language, defaults={"requested_by": by}
        )
        if not _created and report.status in WORKING:
            return report
        report.status, report.progress, report.error = Status.QUEUED, 0, ""
        report.requested_by, report.requested_at, report.finished_at = by, timezone.now(), None
        report.save()
        transaction.on_commit(lambda: generate_impact_report.enqueue(report.pk))
    return report


def _progress(report, status, progress, **fields):
    ImpactReportFile.objects.filter(pk=report.pk).update(status=status, progress=progress, **fields)


@task()
def generate_impact_report(report_id):
    """Render the report's PDF and keep it, with the digest of the figures it shows."""
    report = ImpactReportFile.objects.select_related("pole").get(pk=report_id)
    _progress(report, Status.RUNNING, 5)
    try:
        with translation.override(report.language):
            data = build_report(report.pole, report.year)
            figures = report_figures(data)
            _progress(report, Status.RUNNING, 30)
            identifier = f"GRP-I-{report.pole_id}-{report.year}-{timezone.now():%Y%m%d%H%M%S}"
            context = {
                **data,
                "charts": impact_charts(data["figures"], caption=True),
                "tables": impact_tables(data["figures"]),
                "identifier": identifier,
                "language": report.language,
                "generated_at": timezone.now(),
            }
            content = render_pdf(
                "pdf/impact_report.html", context, identifier=identifier, figures=figures
            )
        _progress(report, Status.RUNNING, 90)
        old = report.file.name if report.file else ""
        report.file.save(
            f"impact-{report.pole_id}-{report.year}.pdf", ContentFile(content), save=False
        )
        if old and old != report.file.name:
            report.file.storage.delete(old)
        _progress(
            report,
            Status.DONE,
            100,
            file=report.file.name,
            fingerprint=hashlib.sha256(figures_json(figures)).hexdigest(),
            finished_at=timezone.now(),
        )
    except Exception as error:
        _progress(report, Status.FAILED, 0, error=str(error)[:2000], finished_at=timezone.now())
        raise
