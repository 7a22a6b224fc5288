import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from scholingsfonds.accounts.models import User
from scholingsfonds.demo.personas import PASSWORD, PERSONAS, demo_loaded_on
from scholingsfonds.demo.seed import load
from scholingsfonds.demo.window import window_policy_move
from scholingsfonds.funds.models import Fund


class Command(BaseCommand):
    help = "Load the demo (personas, budgets, providers, cases) when the database is empty."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--small", action="store_true", help="a few cases only (tests)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if "production" in os.environ.get("DJANGO_SETTINGS_MODULE", "") or not (
            settings.DEBUG or "test" in os.environ.get("DJANGO_SETTINGS_MODULE", "")
        ):
            raise CommandError("The demo never loads in production.")
        if User.objects.filter(username="beheerder").exists():
            self.stdout.write("Demo data already loaded.")
            # `make demo` runs load_policies first, which puts the window fund's file dates
            # back; the demo's window stays around the day the demo was loaded.
            loaded_on = demo_loaded_on()
            window_fund = Fund.objects.filter(slug="leerbudget").first()
            if loaded_on and window_fund:
                window_policy_move(window_fund, around=loaded_on)
        else:
            call_command("load_policies", stdout=open(os.devnull, "w"))  # noqa: SIM115
            call_command("load_schemes", stdout=open(os.devnull, "w"))  # noqa: SIM115
            per_fund = {"twente": 8, "stedendriehoek": 4} if options["small"] else None
            counts = load(seed=options["seed"], per_fund=per_fund)
            # The dashboard's maintained figures catch up with everything the demo wrote.
            call_command("monitoring_refresh", stdout=open(os.devnull, "w"))  # noqa: SIM115
            self.stdout.write(
                "Demo loaded: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            )
        self.stdout.write(self._logins())
        sys.stdout.flush()

    def _logins(self) -> str:
        lines = [
            "",
            f"Demo logins (password for all: {PASSWORD!r}) "
            f"at {settings.SITE_URL}/account/inloggen/",
        ]
        for username, first, last, role, email, _funds in PERSONAS:
            lines.append(f"  {username:<18} {role:<14} {first} {last} <{email}>")
        lines.append(
            "Applicants and employers can also log in with a one-time link "
            "(/account/link/); the e-mail is printed on this console."
        )
        return "\n".join(lines)
