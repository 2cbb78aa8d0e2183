"""Configuration comes only from IKTIPET_* variables; a bad value stops start-up by name."""

from __future__ import annotations

import subprocess
import sys

import pytest

from iktipet.config import ConfigError, env_bool, env_choice, env_int, env_list, env_url


def run_iktipet(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iktipet", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def print_settings(env: dict[str, str], *names: str) -> dict[str, str]:
    """The named settings as a fresh process computes them from ``env``."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: repr(getattr(settings, n, None)) for n in {list(names)!r}}}))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "iktipet.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IKTIPET_DEBUG", "perhaps"),
        ("IKTIPET_DATABASE_URL", "mysql://db.example/iktipet"),
        ("IKTIPET_DATABASE_URL", "postgres://db.example:port/iktipet"),
        ("IKTIPET_BASE_URL", "iktipet.example"),
        ("IKTIPET_BASE_URL", "https://iktipet.example:99999"),
        ("IKTIPET_REDIS_URL", "http://127.0.0.1:6379/0"),
        ("IKTIPET_EMAIL_URL", "ftp://mail.example"),
        ("IKTIPET_EMAIL_URL", "smtp://mail.example:abc"),
        ("IKTIPET_WORKER_HEARTBEAT_MAX_AGE", "a minute"),
        ("IKTIPET_TESTID", "maybe"),
        ("IKTIPET_OIDC_LOGOUT_METHOD", "DELETE"),
    ],
)
def test_unparseable_value_stops_start_up_naming_the_variable(subprocess_env, name, value):
    result = run_iktipet({**subprocess_env, name: value}, "check")
    assert result.returncode != 0
    assert name in result.stderr
    assert "Traceback" not in result.stderr
    assert "is not valid" in result.stderr


def test_error_message_hides_the_password_in_a_url(subprocess_env):
    url = "postgres://iktipet:hemmelig-passord@db.example:x/iktipet"
    result = run_iktipet({**subprocess_env, "IKTIPET_DATABASE_URL": url}, "check")
    assert result.returncode != 0
    assert "IKTIPET_DATABASE_URL" in result.stderr
    assert "hemmelig-passord" not in result.stderr


def test_embedded_default_needs_no_configuration(subprocess_env, tmp_path):
    result = run_iktipet(subprocess_env, "check")
    assert result.returncode == 0, result.stderr
    values = print_settings(subprocess_env, "DATABASES", "DEBUG", "CACHES", "EMAIL_BACKEND")
    assert str(tmp_path / "var" / "iktipet.sqlite3") in values["DATABASES"]
    assert "sqlite3" in values["DATABASES"]
    assert values["DEBUG"] == "False"
    assert "LocMemCache" in values["CACHES"]
    assert "console" in values["EMAIL_BACKEND"]


def test_production_variables_are_read(subprocess_env):
    env = {
        **subprocess_env,
        "IKTIPET_DATABASE_URL": "postgres://iktipet:pw@db.example:5433/iktipet",
        "IKTIPET_SECRET_KEY": "k" * 50,
        "IKTIPET_DEBUG": "yes",
        "IKTIPET_ALLOWED_HOSTS": "iktipet.example, www.iktipet.example",
        "IKTIPET_BASE_URL": "https://iktipet.example/",
        "IKTIPET_REDIS_URL": "redis://cache.example:6379/1",
        "IKTIPET_EMAIL_URL": "smtp://user:pw@mail.example:2525",
    }
    values = print_settings(
        env,
        "DATABASES",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "BASE_URL",
        "CACHES",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_BACKEND",
    )
    assert "'ENGINE': 'iktipet.core.postgresql'" in values["DATABASES"]
    assert "'HOST': 'db.example'" in values["DATABASES"]
    assert "'PORT': 5433" in values["DATABASES"]
    assert values["SECRET_KEY"] == repr("k" * 50)
    assert values["DEBUG"] == "True"
    assert values["ALLOWED_HOSTS"] == repr(["iktipet.example", "www.iktipet.example"])
    assert values["BASE_URL"] == repr("https://iktipet.example")
    assert "RedisCache" in values["CACHES"] and "cache.example:6379/1" in values["CACHES"]
    assert values["EMAIL_HOST"] == repr("mail.example")
    assert values["EMAIL_PORT"] == "2525"
    assert "smtp" in values["EMAIL_BACKEND"]


def test_demo_secret_key_is_kept_in_var(subprocess_env, tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    key_file.parent.mkdir(parents=True)
    key_file.write_text("demo-key-" + "x" * 40 + "\n")
    values = print_settings(subprocess_env, "SECRET_KEY", "SECRET_KEY_FROM_ENV")
    assert values["SECRET_KEY"] == repr("demo-key-" + "x" * 40)
    assert values["SECRET_KEY_FROM_ENV"] == "False"


# --- the parsing helpers themselves -------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), (" yes ", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("IKTIPET_X", raw)
    assert env_bool("IKTIPET_X", not expected) is expected


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("IKTIPET_X", raising=False)
    assert env_bool("IKTIPET_X", True) is True


def test_env_int_minimum(monkeypatch):
    monkeypatch.setenv("IKTIPET_X", "3")
    with pytest.raises(ConfigError, match=r"IKTIPET_X.*at least 5"):
        env_int("IKTIPET_X", 60, minimum=5)
    monkeypatch.setenv("IKTIPET_X", "")
    assert env_int("IKTIPET_X", 60) == 60


def test_env_list_strips_and_drops_empties(monkeypatch):
    monkeypatch.setenv("IKTIPET_X", " a.example , ,b.example,")
    assert env_list("IKTIPET_X", []) == ["a.example", "b.example"]


def test_env_choice_takes_one_of_its_choices_in_any_case(monkeypatch):
    monkeypatch.setenv("IKTIPET_X", " post ")
    assert env_choice("IKTIPET_X", "GET", ("GET", "POST")) == "POST"
    monkeypatch.setenv("IKTIPET_X", "")
    assert env_choice("IKTIPET_X", "GET", ("GET", "POST")) == "GET"
    monkeypatch.setenv("IKTIPET_X", "PUT")
    with pytest.raises(ConfigError, match=r"IKTIPET_X.*GET or POST"):
        env_choice("IKTIPET_X", "GET", ("GET", "POST"))


def test_env_url_checks_scheme_host_and_port(monkeypatch):
    monkeypatch.setenv("IKTIPET_X", "sqlite:////tmp/x.sqlite3")
    assert env_url("IKTIPET_X", "", schemes=("sqlite",)) == "sqlite:////tmp/x.sqlite3"
    for bad in ("https://", "gopher://host", "https://host:http"):
        monkeypatch.setenv("IKTIPET_X", bad)
        with pytest.raises(ConfigError) as caught:
            env_url("IKTIPET_X", "", schemes=("https",))
        assert caught.value.name == "IKTIPET_X"
