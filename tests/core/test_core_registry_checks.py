"""`iktipet check` runs check_config of every configured plugin, in a fresh process: the
registries must be found without a test having imported them first."""

from __future__ import annotations

import subprocess
import sys


def check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iktipet", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_embedded_defaults_and_the_demo_have_nothing_to_fix(subprocess_env, tmp_path):
    for extra in ({}, {"IKTIPET_TESTID": "1", "IKTIPET_EMAIL_URL": f"file://{tmp_path}/mail"}):
        done = check({**subprocess_env, **extra})
        assert done.returncode == 0, done.stderr
        assert "System check identified no issues" in done.stdout, (extra, done.stderr)


def test_a_broken_plugin_of_each_kind_is_reported(subprocess_env):
    env = {
        **subprocess_env,
        "IKTIPET_CONTACT_REGISTER": "krr",
        "IKTIPET_SMS_CHANNEL": "pigeon",
        "IKTIPET_CASE_DESTINATION": "fiks",
        "IKTIPET_OIDC_ISSUER": "https://idporten.example",
        "IKTIPET_EMAIL_FROM": "nobody",
    }
    done = check(env)
    assert done.returncode == 0, done.stderr  # warnings: the site still starts
    for line in (
        "contact register (IKTIPET_CONTACT_REGISTER=krr): (core.W001) "
        "IKTIPET_KRR_TOKEN_FILE is not set: the register needs a bearer token.",
        "SMS channel (IKTIPET_SMS_CHANNEL=pigeon): (core.W001) Unknown SMS channel 'pigeon'",
        "case destination (IKTIPET_CASE_DESTINATION=fiks): (core.W001) "
        "Unknown case destination 'fiks' (choose one of: external, internal).",
        "identity provider for citizen (oidc, IKTIPET_OIDC_ISSUER): (core.W001) "
        "IKTIPET_OIDC_CLIENT_SECRET is not set.",
        "email channel (IKTIPET_EMAIL_URL=django): (core.W001) "
        "IKTIPET_EMAIL_FROM must be an email address.",
    ):
        assert line in done.stderr
    assert "identity provider for staff" not in done.stderr  # no staff issuer: not in use
