from django.db import transaction

from .models import Affiliation, PoleStaff
from .permissions import sync_pole_staff


@transaction.atomic
def add_pole_staff(pole, person, job_title=""):
    PoleStaff.objects.get_or_create(pole=pole, person=person, defaults={"job_title": job_title})
    sync_pole_staff(pole)


@transaction.atomic
def remove_pole_staff(pole, person):
    PoleStaff.objects.filter(pole=pole, person=person).delete()
    sync_pole_staff(pole)


@transaction.atomic
def create_organisation(organisation, *, admin):
    """A new organisation, with the person who created it as its admin."""
    organisation.full_clean()
    organisation.save()
    Affiliation.objects.create(person=admin, organisation=organisation, is_admin=True)
    return organisation
