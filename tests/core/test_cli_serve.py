"""`iktipet serve` refuses an insecure configuration and says exactly why."""

from __future__ import annotations

import subprocess
import sys

import pytest

GOOD_KEY = "a-long-random-secret-key-for-tests-only-" + "x" * 20


def serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # --port 9 (discard): should a refusal ever fail to happen, nothing useful listens there
    # and the timeout ends the test instead of a server running on.
    return subprocess.run(
        [sys.executable, "-m", "iktipet", "serve", "--host", "127.0.0.1", "--port", "9", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_refuses_debug_missing_key_and_testid_listing_every_reason(subprocess_env):
    env = {**subprocess_env, "IKTIPET_DEBUG": "1", "IKTIPET_TESTID": "1"}
    result = serve(env)
    assert result.returncode == 2
    assert "refuses to start" in result.stderr
    assert "IKTIPET_DEBUG is on" in result.stderr
    assert "IKTIPET_SECRET_KEY is not set" in result.stderr
    assert "IKTIPET_TESTID is on" in result.stderr
    assert "--allow-testid" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"IKTIPET_DEBUG": "true"}, "IKTIPET_DEBUG is on"),
        ({"IKTIPET_SECRET_KEY": ""}, "IKTIPET_SECRET_KEY is not set"),
        ({"IKTIPET_SECRET_KEY": "too-short"}, "IKTIPET_SECRET_KEY is shorter than 32"),
        ({"IKTIPET_TESTID": "on"}, "IKTIPET_TESTID is on"),
    ],
)
def test_each_insecure_setting_alone_is_refused(subprocess_env, extra, reason):
    env = {**subprocess_env, "IKTIPET_SECRET_KEY": GOOD_KEY, **extra}
    result = serve(env)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(lines) == 1, result.stderr
    assert reason in lines[0]


def test_demo_key_in_var_is_not_enough_for_serve(subprocess_env, tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    key_file.parent.mkdir(parents=True)
    key_file.write_text("k" * 60)
    result = serve(subprocess_env)
    assert result.returncode == 2
    assert "IKTIPET_SECRET_KEY is not set" in result.stderr


def test_bad_value_stops_serve_naming_the_variable(subprocess_env):
    env = {**subprocess_env, "IKTIPET_SECRET_KEY": GOOD_KEY, "IKTIPET_DEBUG": "perhaps"}
    result = serve(env)
    assert result.returncode == 2
    assert "IKTIPET_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_generates_a_secret_key_in_var_once(tmp_path, monkeypatch):
    from iktipet.cli import _demo_environment

    monkeypatch.setenv("IKTIPET_VAR_DIR", str(tmp_path / "var"))
    for name in ("IKTIPET_TESTID", "IKTIPET_LOG_FORMAT", "IKTIPET_EMAIL_URL"):
        monkeypatch.delenv(name, raising=False)  # restored after the test
    var = _demo_environment()
    key_file = var / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    _demo_environment()
    assert key_file.read_text() == key
