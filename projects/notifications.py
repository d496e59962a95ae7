"""The notifications of the projects' events, called by the services inside their
transaction (see ``portal.notifications.notify``)."""

from django.utils.translation import gettext_lazy as _

from portal.models import Person
from portal.notifications import notify


def submission_received(project, poles, *, by):
    """To the staff of each pole the project is submitted to."""
    return notify(
        Person.objects.filter(staff_of__in=poles).distinct(),
        _("%(acronym)s was submitted for labelling"),
        _("%(person)s submitted %(acronym)s (%(title)s) to %(poles)s for labelling."),
        url=project.get_absolute_url(),
        params={
            "acronym": project.acronym,
            "title": project.title,
            "person": str(by),
            "poles": ", ".join(str(pole) for pole in poles),
        },
    )


def decision_made(submission):
    """To the project's consortium contacts. The deliberation notes stay with the pole."""
    project = submission.project
    lines = [_("%(pole)s decided on %(acronym)s: %(decision)s.")]
    if submission.opinion:
        lines.append(_("Opinion: %(opinion)s"))
    if submission.conditions:
        lines.append(_("Conditions: %(conditions)s"))
    return notify(
        Person.objects.filter(contact_rows__partner__project=project).distinct(),
        _("Labelling decision on %(acronym)s: %(decision)s"),
        _JoinedLines(lines),
        url=project.get_absolute_url(),
        params={
            "acronym": project.acronym,
            "pole": str(submission.pole),
            "decision": submission.Decision(submission.decision).label,
            "opinion": submission.opinion,
            "conditions": submission.conditions,
        },
    )


def expert_asked(assignment):
    """To the expert: they see the project until the pole decides."""
    project = assignment.project
    return notify(
        [assignment.expert],
        _("Your opinion is asked on %(acronym)s"),
        _(
            "%(pole)s asks for your expert opinion on %(acronym)s (%(title)s). "
            "You may read the project until the pole decides."
        ),
        url=project.get_absolute_url(),
        params={"acronym": project.acronym, "title": project.title, "pole": str(assignment.pole)},
    )


def invitation_sent(invitation, link):
    """To the invited address: a notification if it has an account, an e-mail otherwise.
    ``link`` is the absolute URL of the invitation, which only this e-mail carries."""
    from portal.notifications import send_email

    partner = invitation.partner
    subject = _("Invitation to the project %(acronym)s")
    body = _(
        "%(person)s invites you to join the project %(acronym)s — %(title)s as %(role)s of "
        "%(organisation)s.\n\nTo accept, open the link below. It works once, until %(expires)s. "
        "If you did not expect this invitation, ignore this message."
    )
    params = {
        "person": str(invitation.invited_by or "Grappe"),
        "acronym": partner.project.acronym,
        "title": partner.project.title,
        "role": _RoleLabel(invitation.role),
        "organisation": str(partner.organisation),
        "expires": _Date(invitation.expires_at),
    }
    person = Person.objects.filter(email__iexact=invitation.email, is_active=True).first()
    if person is not None:
        return notify([person], subject, body, url=link, params=params)
    send_email(invitation.email, subject, body, url=link, params=params)
    return []


class _RoleLabel:
    """A contact role's label, translated when ``notify`` writes the message."""

    def __init__(self, role):
        self.role = role

    def __str__(self):
        from .models import Contact

        return str(Contact.Role(self.role).label)


class _Date:
    def __init__(self, moment):
        self.moment = moment

    def __str__(self):
        from django.utils import formats, timezone

        return formats.date_format(timezone.localtime(self.moment), "DATE_FORMAT")


class _JoinedLines:
    """Lazy messages, one per paragraph, translated when ``notify`` writes them."""

    def __init__(self, lines):
        self.lines = lines

    def __str__(self):
        return "\n\n".join(str(line) for line in self.lines)
