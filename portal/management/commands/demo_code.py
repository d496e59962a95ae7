"""Print the current two-factor code of a demo account (``seed_demo`` gives staff, reviewers
and the admin an authenticator with the published DEMO_KEY, see the README). Refuses any
account whose device is not the demo one: real codes are never printed."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import two_factor


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (published demo key only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="e.g. staff@demo.example")

    def handle(self, *args, email, **options):
        device = TOTPDevice.objects.filter(
            user__email__iexact=email.strip(), confirmed=True, key=two_factor.demo_key_hex()
        ).first()
        if device is None:
            raise CommandError(f"{email} has no demo authenticator (seed_demo gives them one).")
        self.stdout.write(two_factor.next_code(device))
