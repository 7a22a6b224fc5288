from django.core.management.base import BaseCommand, CommandError

from scholingsfonds.accounts.models import User
from scholingsfonds.api.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"unknown user {options['username']!r}")
        if not user.is_active:
            raise CommandError(f"user {options['username']!r} is not active")
        _token, key = api_token_create(user=user, name=options["name"])
        self.stderr.write("Keep this token safe: it is shown only once.")
        self.stdout.write(key)
