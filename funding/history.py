"""The funding record in the project's history (``projects.history``): every change to a
funding line, a disbursement, a repayment or a private round, with who, when, before and
after. Each viewer sees the records of what they see in full on the project page: a
funder's reviewers those of their funders' lines, never another funder's nor the private
rounds; experts none."""

from django.utils import formats
from django.utils.translation import gettext as _

from portal.templatetags.grappe import euros
from projects.history import history_of, register_source
from projects.models import Partner

from . import permissions
from .models import Disbursement, FundingLine, PrivateRound, Programme, Repayment


def _lines(project, user):
    """The historical records of the lines of ``project`` whose story ``user`` may read."""
    access = permissions.funding_access(user, project)
    records = history_of(FundingLine).filter(project_id=project.pk)
    if access == permissions.OWN_LINES:
        return records.filter(funder_id__in=permissions.funder_ids(user))
    if access is None:
        return records.none()
    return records


def _line_records(project, user):
    return _lines(project, user)


def _viewer(project, user):
    """What decides the funding records ``user`` reads (``_lines``, ``_round_records``)."""
    access = permissions.funding_access(user, project)
    if access == permissions.OWN_LINES:
        return f"{access}:{','.join(str(pk) for pk in sorted(permissions.funder_ids(user)))}"
    return str(access)


def _tranche_records(model):
    def records(project, user):
        return history_of(model).filter(line_id__in=_lines(project, user).values("id"))

    return records


def _round_records(project, user):
    records = history_of(PrivateRound)
    if permissions.funding_access(user, project) != permissions.ALL_LINES:
        return records.none()
    return records.filter(
        partner_id__in=history_of(Partner).filter(project_id=project.pk).values("id")
    )


def _programme_names(ids):
    programmes = Programme.objects.filter(pk__in=ids).select_related("funder")
    return {p.pk: f"{p.name} ({p.funder.name})" for p in programmes}


def _line_names(ids):
    """A line by its programme and partner, from its latest record (even once deleted)."""
    rows = (
        history_of(FundingLine)
        .filter(id__in=ids)
        .order_by("id", "-history_id")
        .values_list("id", "programme__name", "partner__organisation__legal_name")
    )
    names = {}
    for pk, programme, organisation in rows:
        names.setdefault(pk, f"{programme} — {organisation}")
    return names


def _line_name(record, names):
    return f"{names.of(Programme, record.programme_id)} — {names.of(Partner, record.partner_id)}"


def _disbursement_name(record, names):
    kind = Disbursement.Kind(record.kind).label if record.kind else ""
    return f"{kind} {euros(record.amount)} — {names.of(FundingLine, record.line_id)}"


def _repayment_name(record, names):
    due = formats.date_format(record.due_date, "SHORT_DATE_FORMAT") if record.due_date else "—"
    return (
        _("%(amount)s due on %(date)s")
        % {
            "amount": euros(record.amount),
            "date": due,
        }
        + f" — {names.of(FundingLine, record.line_id)}"
    )


def _round_name(record, names):
    return f"{names.of(Partner, record.partner_id)} — {euros(record.amount)}"


def register():
    namers = {Programme: _programme_names, FundingLine: _line_names}
    register_source(
        FundingLine,
        "funding_line",
        {"id", "project", "funder", "created_at"},
        records=_line_records,
        name=_line_name,
        viewer=_viewer,
        namers=namers,
    )
    register_source(
        Disbursement,
        "disbursement",
        {"id", "line"},
        records=_tranche_records(Disbursement),
        name=_disbursement_name,
        viewer=_viewer,
    )
    register_source(
        Repayment,
        "repayment",
        {"id", "line"},
        records=_tranche_records(Repayment),
        name=_repayment_name,
        viewer=_viewer,
    )
    register_source(
        PrivateRound,
        "private_round",
        {"id"},
        records=_round_records,
        name=_round_name,
        viewer=_viewer,
    )
