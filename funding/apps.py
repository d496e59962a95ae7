from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        # Registers with the projects app, which imports none of funding: the funders'
        # grants, the funding record in the projects' history, the project page's section.
        from projects.views.projects import section_provider

        from . import cordis, history, permissions, views  # noqa: F401

        history.register()
        watch_figures()
        section_provider(views.page_section)


def watch_figures():
    """Kept dashboard figures go stale when a project's funding changes, or a funder's or a
    programme's (their kinds, categories and instruments group every pole's figures); a
    funder's portfolio, when one of its lines or their tranches changes."""
    from django.db.models.signals import pre_save

    from portal.snapshots import changed, watch
    from projects.models import Partner

    from .models import Disbursement, Funder, FundingLine, PrivateRound, Programme, Repayment

    def line_project(row):
        return FundingLine.objects.filter(pk=row.line_id).values_list("project_id", flat=True)

    def line_funder(row):
        return FundingLine.objects.filter(pk=row.line_id).values_list("funder_id", flat=True)

    def leaving_funder(sender, instance, raw=False, **kwargs):
        """A line moved to another funder's programme leaves the first one's portfolio."""
        if instance.pk is None or raw:
            return
        before = FundingLine.objects.filter(pk=instance.pk).exclude(funder_id=instance.funder_id)
        left = list(before.values_list("funder_id", flat=True))
        if left:
            changed(funders=left)

    watch(
        FundingLine,
        projects=lambda line: [line.project_id],
        funders=lambda line: [line.funder_id],
    )
    pre_save.connect(leaving_funder, sender=FundingLine, weak=False, dispatch_uid="figures:funder")
    watch(Disbursement, projects=line_project, funders=line_funder)
    watch(Repayment, projects=line_project)
    watch(
        PrivateRound,
        projects=lambda row: Partner.objects.filter(pk=row.partner_id).values_list(
            "project_id", flat=True
        ),
    )
    watch(Funder, everything=True)
    watch(Programme, everything=True)
