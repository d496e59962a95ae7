"""A campaign's table of reports as a spreadsheet: the rows of ``outcomes.progress``."""

from django.utils.translation import gettext_lazy as _

from portal.exports import Column

REPORT_COLUMNS = [
    Column(_("Project"), "project.acronym"),
    Column(_("Title"), "project.title"),
    Column(_("Leader organisation"), "leader_organisation"),
    Column(_("Leaders"), "leaders"),
    Column(_("State"), "progress_label"),
    Column(_("Partners complete"), "partners_complete", kind="integer"),
    Column(_("Partners"), "partners_total", kind="integer"),
    Column(_("Last change"), "last_change", kind="datetime"),
    Column(_("Submitted at"), "submitted_at", kind="datetime"),
    Column(_("Validated or returned at"), "reviewed_at", kind="datetime"),
]
