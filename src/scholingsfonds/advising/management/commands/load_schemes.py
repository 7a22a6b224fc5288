import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scholingsfonds.advising.services.financing import schemes_load
from scholingsfonds.advising.services.targets import targets_load
from scholingsfonds.core.domain.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load the financing schemes (policies/schemes/*.toml) and the yearly conversation "
        "targets (policies/advising/targets.toml). Run after load_policies."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        base = Path(settings.BASE_DIR) / "policies"
        parser.add_argument("--dir", default=str(base / "schemes"))
        parser.add_argument("--targets", default=str(base / "advising" / "targets.toml"))

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            schemes = schemes_load(directory=Path(options["dir"]))
        except DomainError as error:
            # Nothing was saved: every file is checked before the load writes.
            raise CommandError(f"{error.message_nl}\n{error.message_en}") from error
        for row in schemes:
            until = row.valid_to.isoformat() if row.valid_to else "..."
            self.stdout.write(f"{row.key} {row.version}: {row.valid_from} - {until}")
        targets = targets_load(path=Path(options["targets"]))
        self.stdout.write(json.dumps({"schemes": len(schemes), "targets": len(targets)}))
