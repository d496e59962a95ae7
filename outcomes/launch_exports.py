"""Market launches as a spreadsheet: one row per launch. The rows come from
``outcomes.permissions`` (what the person may see) through ``launch_views.with_details``."""

from django.utils.translation import gettext_lazy as _

from portal.exports import Column


def _other_projects(launch):
    return ", ".join(p.acronym for p in launch.shown_projects)


def _revenue_by_year(launch):
    return "; ".join(f"{r.year}: {r.amount}" for r in launch.revenues.all())


LAUNCH_COLUMNS = [
    Column(_("Project"), "project.acronym"),
    Column(_("Launch"), "name"),
    Column(_("Kind"), "get_kind_display"),
    Column(_("Partner"), "partner.organisation.legal_name"),
    Column(_("Partner category"), "partner.organisation.get_category_display"),
    Column(_("Launch date"), "launch_date"),
    Column(_("Markets"), lambda launch: ", ".join(launch.markets)),
    Column(_("TRL reached"), "trl_reached", kind="integer"),
    Column(_("Revenue, all years (€)"), "revenue_total", kind="money"),
    Column(_("Revenue by year (€)"), _revenue_by_year, kind="text"),
    Column(_("Also from the projects"), _other_projects),
    Column(_("Description"), "description"),
]
