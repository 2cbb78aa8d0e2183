"""``iktipet registers check``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


def run() -> str:
    from io import StringIO

    out = StringIO()
    call_command("registers", "check", stdout=out)
    return out.getvalue()


@override_settings(ALLOW_SYNTHETIC_IDS=True)
def test_default_configuration_is_ok():
    output = run()
    assert "population register (IKTIPET_POPULATION_REGISTER=local): OK" in output
    assert output.count(": OK") == 6


@override_settings(
    ALLOW_SYNTHETIC_IDS=True,
    ORGANISATION_REGISTER="brreg",
    BRREG_CANDIDATE_ORGNRS=["123"],
    POPULATION_REGISTER="nope",
)
def test_problems_are_listed_and_exit_with_1(capsys):
    with pytest.raises(CommandError) as info:
        call_command("registers", "check")
    assert info.value.returncode == 1
    output = capsys.readouterr().out
    assert "Unknown population register 'nope' (choose one of: folkeregister, local)." in output
    assert "IKTIPET_BRREG_CANDIDATE_ORGNRS holds invalid orgnr(s): 123." in output


@override_settings(ALLOW_SYNTHETIC_IDS=False)
def test_synthetic_data_in_production_is_a_problem(capsys):
    with pytest.raises(CommandError):
        call_command("registers", "check")
    output = capsys.readouterr().out
    assert "IKTIPET_CONTACT_REGISTER=local answers from the files in" in output


def test_via_the_iktipet_cli(tmp_path):
    import subprocess
    import sys

    env = {
        "IKTIPET_VAR_DIR": str(tmp_path),
        "IKTIPET_TESTID": "1",
        "IKTIPET_CONTACT_REGISTER": "krr",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-m", "iktipet", "registers", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "kindergarten register (IKTIPET_KINDERGARTEN_REGISTER=local): OK" in done.stdout
    assert "IKTIPET_KRR_TOKEN_FILE is not set" in done.stdout
