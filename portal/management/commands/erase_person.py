"""Erase (anonymise) a person's account, as the admin's action on their request does."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal import privacy


class Command(BaseCommand):
    help = "Anonymise a person's account; the records they took part in are kept."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        person = get_user_model().objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(f"Nobody signs in as {email}.")
        try:
            privacy.erase(person)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{email} is erased: the account is now {person.email}.")
