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


# --- warnings: serve starts, but tells the operator ------------------------------------------


def _serve_until_line(env: dict[str, str], needle: str, timeout: float = 60) -> str:
    """Start `iktipet serve` on a free port; its stderr up to the line with ``needle`` (or all
    it wrote before exiting or the timeout), then stop it."""
    import os
    import select
    import signal
    import socket
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--threads", "1"]
    process = subprocess.Popen(
        [sys.executable, "-m", "iktipet", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stderr is not None
    seen = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], 0.5)
            if not ready:
                continue
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if needle in line:
                break
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # granian and its workers: nothing to save
        process.wait()
        process.stderr.close()
    return "".join(seen)


def test_serve_warns_when_metrics_are_open_on_a_public_base_url(subprocess_env):
    env = {
        **subprocess_env,
        "IKTIPET_SECRET_KEY": GOOD_KEY,
        "IKTIPET_BASE_URL": "https://tjenester.example.no",
    }
    stderr = _serve_until_line(env, "IKTIPET_METRICS_TOKEN")
    assert "WARNING" in stderr, stderr
    assert "/metrics answers anyone: IKTIPET_METRICS_TOKEN is not set" in stderr, stderr
    assert "https://tjenester.example.no" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize(
    ("base_url", "token", "warned"),
    [
        ("https://tjenester.example.no", "", True),
        ("http://10.0.0.5:8000", "", True),
        ("https://tjenester.example.no", "a-scrape-token", False),
        ("http://127.0.0.1:8000", "", False),
        ("http://localhost:8000", "", False),
        ("http://[::1]:8000", "", False),
        ("http://127.0.0.1.example.no", "", True),
    ],
)
def test_the_metrics_warning_needs_no_token_and_a_non_loopback_base_url(
    settings, base_url, token, warned
):
    from iktipet.cli import serve_warnings

    settings.BASE_URL = base_url
    settings.METRICS_TOKEN = token
    assert bool(serve_warnings()) is warned
