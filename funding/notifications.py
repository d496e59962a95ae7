"""The notifications of funding events, called by the services inside their transaction
(see ``portal.notifications.notify``)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Person
from portal.notifications import notify
from portal.templatetags.grappe import euros
from projects.models import Contact


def decision_recorded(line):
    """To the project's leaders and the contacts of the partner funded: the funder decided."""
    project = line.project
    people = Person.objects.filter(
        Q(contact_rows__partner=line.partner_id)
        | Q(
            contact_rows__partner__project=project,
            contact_rows__role=Contact.Role.COORDINATOR_CONTACT,
        )
    ).distinct()
    if line.status == line.Status.GRANTED:
        body = _("%(funder)s granted %(amount)s to %(partner)s on %(acronym)s (%(programme)s).")
    else:
        body = _("%(funder)s refused the funding of %(partner)s on %(acronym)s (%(programme)s).")
    return notify(
        people,
        _("Funding decision on %(acronym)s: %(status)s"),
        body,
        url=project.get_absolute_url() + "#funding",
        params={
            "acronym": project.acronym,
            "status": line.Status(line.status).label,
            "funder": str(line.funder),
            "programme": line.programme.name,
            "partner": str(line.partner.organisation),
            "amount": euros(line.amount_granted),
        },
    )
