"""Background work of the portal (Django's tasks framework; ``manage.py db_worker`` runs it)."""

from django.tasks import task

from . import snapshots


@task()
def refresh_figures():
    """Compute again the dashboards' figures that changes made stale (``portal.snapshots``)."""
    return snapshots.refresh_stale()
