"""The `iktipet` command: demo, serve, worker, and every Django management command."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

SETTINGS = "iktipet.settings"


def _fail(message: str) -> None:
    print(f"iktipet: {message}", file=sys.stderr)
    raise SystemExit(2)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from iktipet.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        _fail(str(exc))
    _ensure_sqlite_directory()


def _ensure_sqlite_directory() -> None:
    """SQLite cannot create the directory of its file: make var/ on first use of any command."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and database.get("NAME"):
        name = str(database["NAME"])
        if not name.startswith(("file:", ":memory:")):
            Path(name).parent.mkdir(parents=True, exist_ok=True)


def _manage(*argv: str) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["iktipet", *argv])


def insecure_reasons(allow_testid: bool) -> list[str]:
    """Why `serve` refuses this configuration (empty list: it may start)."""
    from django.conf import settings

    reasons = []
    if settings.DEBUG:
        reasons.append("IKTIPET_DEBUG is on: debug pages leak settings and data. Unset it.")
    if not settings.SECRET_KEY_FROM_ENV:
        reasons.append("IKTIPET_SECRET_KEY is not set: give a long random value (50+ characters).")
    elif len(settings.SECRET_KEY) < 32:
        reasons.append("IKTIPET_SECRET_KEY is shorter than 32 characters.")
    if settings.TESTID_ENABLED and not allow_testid:
        reasons.append(
            "IKTIPET_TESTID is on: the test identity provider lets anyone log in as anyone. "
            "Turn it off, or pass --allow-testid for a test environment."
        )
    return reasons


def _is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_warnings() -> list[str]:
    """What `serve` starts with but tells the operator about (empty list: nothing)."""
    from django.conf import settings

    warnings = []
    if not settings.METRICS_TOKEN and not _is_loopback(settings.BASE_URL):
        warnings.append(
            f"/metrics answers anyone: IKTIPET_METRICS_TOKEN is not set and IKTIPET_BASE_URL "
            f"({settings.BASE_URL}) is not a loopback address. Set IKTIPET_METRICS_TOKEN, or "
            "keep /metrics from the outside at the proxy."
        )
    return warnings


def granian_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    exe = shutil.which("granian", path=str(Path(sys.executable).parent)) or shutil.which("granian")
    if exe is None:
        _fail("granian is not installed in this environment")
    return [
        str(exe),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--log-level",
        "warning",
        "iktipet.wsgi:application",
    ]


def _metrics_dir() -> Path:
    from iktipet.config import var_dir

    return Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or var_dir() / "prometheus")


def _prepare_metrics_dir() -> None:
    metrics_dir = _metrics_dir()
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)


def serve_preloaded(command: list[str]) -> None:
    """Run granian (``command``, as for its own executable) in this process, with the
    application imported here first: granian forks its workers from this process, and its
    loader then finds the application in ``sys.modules``, so the workers share the imported
    code and data copy-on-write instead of each importing its own (bench/README.md, "Memory
    after ...": 2 workers idle 193 -> 110 MiB PSS in all). ``gc.freeze()`` keeps the collector
    in the workers from writing to those shared objects. No database connection may cross the
    fork."""
    import gc

    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver
    from django.utils import translation
    from granian.cli import cli

    import iktipet.wsgi  # noqa: F401

    # What the first request would load in each worker: the URLconf with every view module
    # (~150 modules, ~7 MiB) and its reverse maps per language.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            get_resolver()._populate()
    # Emptied only now: metrics made by the imports above wrote this process's files there,
    # and the workers write their own (prometheus_client starts anew after a fork).
    _prepare_metrics_dir()
    connections.close_all()
    gc.collect()
    gc.freeze()
    cli.main(args=command[1:], prog_name="granian", auto_envvar_prefix="GRANIAN")


def collect_static() -> None:
    """The static files under hashed names with brotli/gzip copies in STATIC_ROOT, before
    the web server reads the manifest (iktipet.ops.staticfiles). Skipped when the manifest
    is newer than every source file (brotli at its best takes seconds on a small machine)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        sources = (
            os.stat(storage.path(path)).st_mtime
            for finder in finders.get_finders()
            for path, storage in finder.list(None)
        )
        if max(sources, default=0.0) < manifest.stat().st_mtime:
            return
    # In a process of its own: compressing leaves tens of MiB of heap behind, which the
    # server's workers would otherwise inherit (serve_preloaded forks them from this process).
    command = [sys.executable, "-m", "iktipet", "collectstatic", "--no-input", "--verbosity", "0"]
    if subprocess.run(command, check=False).returncode != 0:  # noqa: S603
        _fail("collectstatic failed (see above)")


def cmd_serve(args: argparse.Namespace) -> None:
    # prometheus_client chooses its multiprocess mode when it is first imported, and the
    # workers now inherit that import (serve_preloaded): name the directory before setup.
    metrics_dir = _metrics_dir()
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    _setup_django()
    reasons = insecure_reasons(args.allow_testid)
    if reasons:
        print("iktipet serve refuses to start:", file=sys.stderr)
        for reason in reasons:
            print(f"  - {reason}", file=sys.stderr)
        raise SystemExit(2)
    collect_static()
    for warning in serve_warnings():
        # Through logging (stderr, JSON with IKTIPET_LOG_FORMAT=json): where operators look.
        logging.getLogger("iktipet.serve").warning(warning)
    serve_preloaded(granian_command(args.host, args.port, args.workers, args.threads))


def _demo_environment() -> Path:
    from iktipet.config import var_dir

    var = var_dir()
    var.mkdir(parents=True, exist_ok=True)
    key_file = var / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ.setdefault("IKTIPET_TESTID", "1")
    os.environ.setdefault("IKTIPET_LOG_FORMAT", "plain")
    os.environ.setdefault("IKTIPET_EMAIL_URL", f"file://{var / 'mail'}")
    return var


def cmd_demo(args: argparse.Namespace) -> None:
    host, port = args.host, args.port
    os.environ.setdefault("IKTIPET_BASE_URL", f"http://{host}:{port}")
    _demo_environment()
    _setup_django()
    _manage("migrate", "--no-input", "--verbosity", "0")
    _manage("load_demo")
    _prepare_metrics_dir()
    from iktipet.core.demo import login_hints

    env = dict(os.environ)
    web = subprocess.Popen(granian_command(host, port, 1, 8), env=env)  # noqa: S603
    worker = subprocess.Popen([sys.executable, "-m", "iktipet", "worker"], env=env)
    children = [web, worker]
    print()
    print(f"  Iktipet kjører på / is running at  {os.environ['IKTIPET_BASE_URL']}/")
    print("  Test logins (synthetic test data):")
    for hint in login_hints() or ["(none yet)"]:
        print(f"    {hint}")
    print("  Ctrl-C stops the web server and the worker.")
    print()

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        raise SystemExit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    print("iktipet: a demo process stopped; stopping the rest.", file=sys.stderr)
    stop()


def cmd_worker(args: argparse.Namespace) -> None:
    _setup_django()
    from iktipet.ops.worker import run_worker

    run_worker(interval=args.interval, batch=args.batch)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="iktipet",
        description="Iktipet. Any other command is passed to Django (e.g. `iktipet migrate`).",
    )
    sub = parser.add_subparsers(dest="command")
    default_host = os.environ.get("HOST", "127.0.0.1")
    try:
        default_port = int(os.environ.get("PORT", "8000"))
    except ValueError:
        _fail(f"PORT={os.environ['PORT']!r} is not valid: expected a port number.")

    demo = sub.add_parser("demo", help="run the whole platform with embedded defaults")
    demo.add_argument("--host", default=default_host)
    demo.add_argument("--port", type=int, default=default_port)
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="run the production web server (granian, WSGI)")
    serve.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))  # noqa: S104
    serve.add_argument("--port", type=int, default=default_port)
    serve.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    serve.add_argument("--threads", type=int, default=8, help="blocking threads per worker")
    serve.add_argument("--allow-testid", action="store_true", help="permit IKTIPET_TESTID=1")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run the background task worker")
    worker.add_argument("--interval", type=float, default=0.2)
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.set_defaults(func=cmd_worker)

    if argv and argv[0] in ("demo", "serve", "worker", "-h", "--help"):
        args = parser.parse_args(argv)
        args.func(args)
        return
    if not argv:
        parser.print_help()
        return
    _setup_django()
    _manage(*argv)


if __name__ == "__main__":
    main()
