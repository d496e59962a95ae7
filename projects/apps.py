from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        # Registers the consortium's organisations with the portal's visibility rules.
        from portal.snapshots import watch

        from . import permissions  # noqa: F401
        from .history import history_of
        from .models import (
            CommitteeSession,
            Contact,
            Milestone,
            Partner,
            Project,
            StateChange,
            Submission,
        )

        # Kept dashboard figures go stale when a project, its poles or partners change.
        watch(Project, projects=lambda project: [project.pk], m2m=["themes"])
        watch(
            Submission,
            poles=lambda submission: [submission.pole_id],
            pages=lambda submission: [submission.project_id],
        )
        watch(Partner, projects=lambda partner: [partner.project_id])
        # What the project page keeps of its history (``history.kept_preview``) goes stale
        # with every record of it: every saved or deleted row of the kinds it tells.
        watch(Milestone, pages=lambda milestone: [milestone.project_id])
        watch(StateChange, pages=lambda change: [change.project_id])
        watch(
            Contact,
            pages=lambda contact: Partner.objects.filter(pk=contact.partner_id).values_list(
                "project_id", flat=True
            ),
        )
        # A committee session is named in its submissions' records (even once deleted).
        watch(
            CommitteeSession,
            pages=lambda session: (
                history_of(Submission)
                .filter(session_id=session.pk)
                .values_list("project_id", flat=True)
            ),
        )
