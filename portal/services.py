from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Affiliation, Organisation, PoleStaff
from .permissions import sync_pole_staff
from .validators import normalise_identifier, normalise_name


@transaction.atomic
def add_pole_staff(pole, person, job_title=""):
    PoleStaff.objects.get_or_create(pole=pole, person=person, defaults={"job_title": job_title})
    sync_pole_staff(pole)


@transaction.atomic
def remove_pole_staff(pole, person):
    PoleStaff.objects.filter(pole=pole, person=person).delete()
    sync_pole_staff(pole)


class DuplicateOrganisation(ValidationError):
    """``organisation`` looks like organisations Grappe already has: ``duplicates``.
    A similar name may be confirmed as another organisation (``confirmable``); a SIREN not."""

    def __init__(self, field, message, duplicates, code):
        super().__init__({field: [ValidationError(message, code=code)]})
        self.duplicates = duplicates
        self.confirmable = code == "possible_duplicate"


def find_duplicates(organisation, among=None):
    """Organisations that are probably ``organisation``: the same SIREN (then certainly),
    or the same normalised name among ``among`` (all organisations if None). Each one
    found carries ``same_siren``."""
    others = Organisation.objects.exclude(pk=organisation.pk)
    siren = normalise_identifier(organisation.siren) or normalise_identifier(organisation.siret)[:9]
    found = list(others.filter(siren=siren)) if len(siren) == 9 else []
    for duplicate in found:
        duplicate.same_siren = True
    name_key = normalise_name(organisation.legal_name)
    if name_key:
        candidates = others if among is None else among.exclude(pk=organisation.pk)
        for duplicate in candidates.filter(name_key=name_key).exclude(pk__in=[o.pk for o in found]):
            duplicate.same_siren = False
            found.append(duplicate)
    return found


@transaction.atomic
def create_organisation(organisation, *, admin=None, confirm_distinct=False, among=None):
    """A new organisation, with ``admin`` (if any) as its admin.

    One with the SIREN of an existing organisation is refused; one whose normalised name is
    another's (among ``among``: what the creator may see) needs ``confirm_distinct``. Both
    refusals are ``DuplicateOrganisation`` errors naming the existing organisations."""
    duplicates = find_duplicates(organisation, among)
    same_siren = [o for o in duplicates if o.same_siren]
    if same_siren:
        raise DuplicateOrganisation(
            "siren",
            _("An organisation with this SIREN already exists."),
            same_siren,
            code="siren_taken",
        )
    organisation.full_clean()
    if duplicates and not confirm_distinct:
        raise DuplicateOrganisation(
            "legal_name",
            _(
                "An organisation with a similar name already exists: choose it, or confirm "
                "that this is a different organisation."
            ),
            duplicates,
            code="possible_duplicate",
        )
    organisation.save()
    if admin is not None:
        Affiliation.objects.create(person=admin, organisation=organisation, is_admin=True)
    return organisation
