"""Remind consortia of their overdue milestones and deliverables: run it daily (cron,
systemd timer). Each overdue milestone of an open project is reminded once a day at most,
however often the command runs: ``reminded_on`` is claimed before anyone is notified."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.models import Person
from portal.notifications import notify
from projects.models import Contact, Milestone, State

SUBJECT = _("%(acronym)s: “%(title)s” is overdue")
BODY = _(
    "The %(kind)s “%(title)s” of %(acronym)s was due on %(due)s and is not marked done yet. "
    "Responsible partner: %(partner)s. Mark it done, or change its due date, on the project page."
)


def overdue(today):
    """Overdue milestones of the projects still under way, not reminded today."""
    return (
        Milestone.objects.filter(done_on__isnull=True, due_date__lt=today)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .exclude(project__state__in=[State.CLOSED, State.ABANDONED])
        .select_related("project", "partner__organisation")
        .order_by("due_date", "pk")
    )


def recipients(milestone):
    """The project's leaders, and the contacts of the partner responsible for it."""
    contacts = Q(partner__project=milestone.project_id, role=Contact.Role.COORDINATOR_CONTACT)
    if milestone.partner_id:
        contacts |= Q(partner=milestone.partner_id)
    return Person.objects.filter(pk__in=Contact.objects.filter(contacts).values("person")).order_by(
        "pk"
    )


def remind(milestone, today):
    """Notify about ``milestone`` unless it was reminded today; True when reminded."""
    with transaction.atomic():
        # Claimed first: two runs at once (or a retried cron) never remind twice.
        claimed = (
            Milestone.objects.filter(pk=milestone.pk)
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
            .update(reminded_on=today)
        )
        if not claimed:
            return False
        project = milestone.project
        with translation.override(settings.LANGUAGE_CODE):
            due = formats.date_format(milestone.due_date, "SHORT_DATE_FORMAT")
        notify(
            recipients(milestone),
            SUBJECT,
            BODY,
            url=project.get_absolute_url() + "#milestones",
            params={
                "acronym": project.acronym,
                "title": milestone.title,
                "kind": Milestone.Kind(milestone.kind).label,
                "due": due,
                "partner": str(milestone.partner.organisation) if milestone.partner else "—",
            },
        )
    return True


class Command(BaseCommand):
    help = "Remind the consortia of their overdue milestones and deliverables (once a day)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        sent = sum(remind(milestone, today) for milestone in overdue(today))
        self.stdout.write(f"{sent} overdue milestone(s) reminded.")
