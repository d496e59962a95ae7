from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        # Registers the consortium's organisations with the portal's visibility rules.
        from portal.snapshots import watch

        from . import permissions  # noqa: F401
        from .models import Partner, Project, Submission

        # Kept dashboard figures go stale when a project, its poles or partners change.
        watch(Project, projects=lambda project: [project.pk], m2m=["themes"])
        watch(Submission, poles=lambda submission: [submission.pole_id])
        watch(Partner, projects=lambda partner: [partner.project_id])
