"""manage.py load_schemes: a malformed scheme file is refused, named, and nothing is saved."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from scholingsfonds.advising.models import Scheme
from tests.factories import REPO_ROOT


def test_load_schemes_refuses_a_malformed_file_naming_the_file_and_the_key(db, tmp_path):
    directory = tmp_path / "schemes"
    shutil.copytree(REPO_ROOT / "policies" / "schemes", directory)
    path = directory / "werkgever.toml"
    path.write_text(path.read_text().replace('work_statuses = ["employee"]', "work_statuses = 1"))
    targets = REPO_ROOT / "policies" / "advising" / "targets.toml"
    with pytest.raises(CommandError) as error:
        call_command("load_schemes", "--dir", str(directory), "--targets", str(targets))
    assert (
        f"{path.as_posix()}: work_statuses: expected a list of zero or more of: "
        "employee, job_seeker, zzp (each once), got 1"
    ) in str(error.value)
    assert not Scheme.objects.exists()
