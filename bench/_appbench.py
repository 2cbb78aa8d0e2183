"""Shared parts of the application benchmarks (bench_forms.py, bench_submit.py, bench_worker.py).

A throw-away var dir and database (SQLite by default, a fresh PostgreSQL database with
``--pg URL``), synthetic citizens logged in by writing their sessions directly, drafts of the
one-step service in bench/services/, and `iktipet serve` on a loopback port.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HOST = "127.0.0.1"  # loopback only, by design
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVICE_ID = "bench-enkel-henvendelse"
SERVICE_DIR = ROOT / "bench" / "services"
STEP_ID = "melding"
SESSION_COOKIE = "iktipet_session"
CSRF_COOKIE = "csrftoken"
# What a citizen types into the one step (valid for every field of the bench service).
ANSWERS = {
    "topic": "road",
    "place": "Storgata 1, Oslo",
    "description": "Et dypt hull i sykkelfeltet utenfor nummer 1.",
    "email": "",  # filled per user
    "phone": "",
    "contact_me": "no",
}


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


@dataclass
class Result:
    scenario: str
    database: str
    rate_per_s: float
    p50_ms: float | None
    p99_ms: float | None
    errors: int
    count: int
    seconds: float
    concurrency: int
    load_before: float
    load_after: float
    extra: dict[str, Any] = field(default_factory=dict)


def common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pg",
        metavar="URL",
        help="PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432): a fresh database "
        "is created there and dropped at the end; default: SQLite in the throw-away var dir",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (debugging)")


# --- workspace: var dir, environment, database --------------------------------------------


class Workspace:
    """A temporary var dir and database; ``env`` is what every child process runs with."""

    def __init__(self, pg_url: str | None, prefix: str) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix=f"iktipet-{prefix}-"))
        self.pg_url = pg_url
        self.pg_name = ""
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("IKTIPET_")}
        self.env.update(
            {
                "IKTIPET_VAR_DIR": str(self.dir / "var"),
                "IKTIPET_SECRET_KEY": "benchmark-only-" + "k" * 40,
                "IKTIPET_LOG_LEVEL": "WARNING",
                "IKTIPET_EMAIL_URL": f"file://{self.dir / 'mail'}",
                "IKTIPET_ALLOW_SYNTHETIC_IDS": "1",
                # Only the bench's own cases: the counts it checks afterwards stay exact.
                "IKTIPET_DEMO_CASES": "0",
                # The load comes from one address; the rate limits key on the client address,
                # so each synthetic citizen sends its own X-Forwarded-For, as behind a proxy.
                "IKTIPET_TRUSTED_PROXIES": "1",
                "DJANGO_SETTINGS_MODULE": "iktipet.settings",
                # bench/ too: bench_worker.py's workers import its task from there.
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")]),
            }
        )
        self.env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        if pg_url:
            self.pg_name = f"iktipet_bench_apps_{os.getpid()}"
            _pg_admin(pg_url, f'CREATE DATABASE "{self.pg_name}"')
            self.env["IKTIPET_DATABASE_URL"] = _with_database(pg_url, self.pg_name)
        self.database = "PostgreSQL" if pg_url else "SQLite"

    def prepare(self) -> None:
        """Tables, demo agencies and services, and the one-step bench service, published."""
        for command in (
            ["migrate", "--no-input", "--verbosity", "0"],
            ["load_demo", "--verbosity", "0"],
            ["services", "load", "--publish", str(SERVICE_DIR)],
        ):
            subprocess.run(
                [str(BIN / "iktipet"), *command],
                env=self.env,
                check=True,
                timeout=600,
                stdout=subprocess.DEVNULL,
            )

    def django(self) -> None:
        """Configure Django in this process with the workspace's environment."""
        os.environ.update(self.env)
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()

    def close(self, keep: bool = False) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if self.pg_url and self.pg_name:
            _pg_admin(self.pg_url, f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        if keep:
            print(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    admin = _with_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


# --- synthetic citizens, sessions and drafts (run after Workspace.django()) -----------------


def synthetic_fodselsnummer(index: int) -> str:
    """A valid synthetic (Tenor: month + 80) fødselsnummer, distinct per ``index``."""
    weights1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    weights2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    serial = 0
    while True:
        day = 1 + index % 28
        month = 81 + (index // 28) % 12
        year = 70 + (index // 336) % 30
        individual = 100 + (serial + index * 7) % 400  # 1900–1999 births
        digits = [int(c) for c in f"{day:02d}{month:02d}{year:02d}{individual:03d}"]
        k1 = 11 - sum(w * d for w, d in zip(weights1, digits, strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        k2 = 11 - sum(w * d for w, d in zip(weights2, [*digits, k1], strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k1 != 10 and k2 != 10:
            return "".join(map(str, digits)) + f"{k1}{k2}"
        serial += 1


@dataclass
class Citizen:
    user_id: int
    session_key: str
    application_id: str
    address: str  # the X-Forwarded-For this citizen's requests carry
    csrf_cookie: str = ""
    csrf_token: str = ""

    @property
    def step_path(self) -> str:
        return f"/soknad/{self.application_id}/steg/{STEP_ID}/"

    @property
    def summary_path(self) -> str:
        return f"/soknad/{self.application_id}/oppsummering/"

    @property
    def submit_path(self) -> str:
        return f"/soknad/{self.application_id}/send-inn/"

    def cookie(self) -> str:
        value = f"{SESSION_COOKIE}={self.session_key}"
        return f"{value}; {CSRF_COOKIE}={self.csrf_cookie}" if self.csrf_cookie else value


def logged_in_session(user: Any, person: Any) -> str:
    """A session exactly as ``accounts.services.sign_in`` leaves it after an ID-porten login
    at level substantial (Django's auth keys, ``sessions.store_login``, the acting party),
    without the id_token (there is no identity provider here)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from iktipet.accounts import sessions
    from iktipet.accounts.oidc.provider import CITIZEN
    from iktipet.accounts.parties import myself
    from iktipet.accounts.services import BACKEND

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    info = sessions.LoginInfo(CITIZEN, "substantial", sessions.now(), "", "")
    sessions.store_login(store, info, "")
    store[sessions.PARTY] = myself(person).as_dict()
    store.save()
    return str(store.session_key)


def signed_in_citizen(index: int, username: str) -> tuple[Any, Any, str]:
    """A synthetic citizen (``synthetic_fodselsnummer(index)``), logged in: (user, person,
    session key). Each benchmark gives its citizens their own ``username``."""
    from django.db import transaction

    from iktipet.accounts.models import Person, User

    with transaction.atomic():
        user = User.objects.create(
            username=username,
            first_name="Test",
            last_name=f"Innbygger {index}",
            email=f"{username}@example.invalid",
            kind=User.Kind.CITIZEN,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        person = Person(user=user)
        person.set_pid(synthetic_fodselsnummer(index))
        person.save()
        return user, person, logged_in_session(user, person)


def make_citizens(count: int, *, complete: bool, first_index: int = 0) -> list[Citizen]:
    """``count`` citizens, each logged in with one draft of the bench service.

    ``complete``: the step is saved through ``save_step`` (the engine's own checks), so the
    draft is ready to submit; otherwise the draft is as just started.
    """
    from iktipet.accounts.parties import for_self
    from iktipet.applications import services
    from iktipet.catalog.selectors import current_version, published_service

    version = current_version(published_service(SERVICE_ID))
    step = version.definition_model.step(STEP_ID)
    citizens = []
    for index in range(first_index, first_index + count):
        user, _person, session_key = signed_in_citizen(index, f"bench-{index}")
        party = for_self(user)
        application = services.start_application(user=user, party=party, version=version)
        if complete:
            fill_draft(application, step, user=user, party=party)
        address = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        citizens.append(Citizen(user.pk, session_key, str(application.pk), address))
    return citizens


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """A running `iktipet serve`: its port and the CPU time its processes have used."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port

    def cpu_seconds(self) -> float:
        """CPU time of the server's processes (granian and its workers)."""
        return session_cpu_seconds({self.process.pid})


def session_cpu_seconds(sessions: set[int]) -> float:
    """utime + stime of every live process in these sessions (each started as a leader)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) in sessions:  # field 6 of stat: the session id
            ticks += int(fields[11]) + int(fields[12])  # fields 14 and 15: utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def served(workspace: Workspace, workers: int = 2, threads: int = 8) -> Iterator[Server]:
    """`iktipet serve` (granian WSGI) on a free loopback port; stopped on exit."""
    port = free_port()
    env = {**workspace.env, "IKTIPET_BASE_URL": f"http://{HOST}:{port}"}
    command = [str(BIN / "iktipet"), "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"iktipet serve exited with {process.returncode}")
            try:
                if request("GET", port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("iktipet serve did not answer /healthz in time")
            time.sleep(0.2)
        yield Server(process, port)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def request(
    method: str,
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    body: str | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, str], bytes]:
    own = connection is None
    conn = connection or http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        found: dict[str, str] = {}
        for key, value in response.getheaders():
            # Every Set-Cookie, one a line: a GET that re-saves an older session sends the
            # session cookie besides the CSRF cookie, and a dict would keep only the last.
            key = key.lower()
            found[key] = f"{found[key]}\n{value}" if key in found else value
        return response.status, found, data
    finally:
        if own:
            conn.close()


# --- wrk ------------------------------------------------------------------------------------

# Each request is the next (path, cookie, address) of the list; only a 200 counts as success
# (a redirect to the login page would be a 302, which wrk itself counts as fine).
WRK_SCRIPT = r"""
local lines = {}
local index = 0
local encoding = nil
bad = 0  -- global: done() reads it from each thread
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local path, cookie, address = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
    table.insert(lines, {path, cookie, address})
  end
  index = (id * 7919) % #lines
  encoding = args[2]  -- optional Accept-Encoding, as a browser sends it
end

function request()
  index = index % #lines + 1
  local item = lines[index]
  local headers = {["Cookie"] = item[2], ["X-Forwarded-For"] = item[3]}
  if encoding then
    headers["Accept-Encoding"] = encoding
  end
  return wrk.format("GET", item[1], headers)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "not_200": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, not_ok,
    e.connect + e.read + e.write + e.timeout))
end
"""


def step_targets(citizens: list[Citizen]) -> list[tuple[str, str, str]]:
    return [(c.step_path, c.cookie(), c.address) for c in citizens]


def run_wrk(
    port: int,
    targets: list[tuple[str, str, str]],
    work: Path,
    connections: int,
    duration: int,
    accept_encoding: str = "",
) -> dict[str, Any]:
    """``wrk`` cycling through ``targets`` (path, Cookie header, X-Forwarded-For), with an
    ``Accept-Encoding`` header on every request when one is given."""
    script = work / "rotate.lua"
    script.write_text(WRK_SCRIPT)
    listing = work / "targets.tsv"
    listing.write_text(
        "".join(f"{path}\t{cookie}\t{address}\n" for path, cookie, address in targets)
    )
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s"]
    command += ["-s", str(script), f"http://{HOST}:{port}", "--", str(listing)]
    if accept_encoding:
        command.append(accept_encoding)
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    output = done.stdout
    match = re.search(r"^\{.*\}$", output, re.MULTILINE)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{output}\n{done.stderr}")
    return json.loads(match.group(0))


def percentiles(latencies_ms: list[float]) -> tuple[float | None, float | None]:
    if len(latencies_ms) < 2:
        return (latencies_ms[0], latencies_ms[0]) if latencies_ms else (None, None)
    cut = statistics.quantiles(latencies_ms, n=100, method="inclusive")
    return round(cut[49], 2), round(cut[98], 2)


# --- reporting --------------------------------------------------------------------------------


def report(results: list[Result], json_path: Path | None, note: str = "") -> None:
    print()
    print(
        "| scenario | DB | rate /s | p50 ms | p99 ms | errors | n | server CPU ms/req"
        " | loadavg before→after |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        p50 = "–" if r.p50_ms is None else f"{r.p50_ms:.1f}"
        p99 = "–" if r.p99_ms is None else f"{r.p99_ms:.1f}"
        cpu = r.extra.get("server_cpu_ms_per_request")
        print(
            f"| {r.scenario} | {r.database} | {r.rate_per_s:.1f} | {p50} | {p99} | {r.errors}"
            f" | {r.count} | {'–' if cpu is None else cpu} | {r.load_before:.1f}→"
            f"{r.load_after:.1f} |"
        )
    if note:
        print(note)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(
            json.dumps(
                {
                    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "machine": f"{os.cpu_count()} CPUs, {platform.platform()}",
                    "results": [asdict(r) for r in results],
                },
                indent=2,
            )
        )


def shuffled(items: list[Any], seed: int = 7) -> list[Any]:
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


def measure(
    server: Server,
    scenario: str,
    targets: list[tuple[str, str, str]],
    workspace: Workspace,
    connections: int,
    duration: int,
    accept_encoding: str = "",
) -> Result:
    before, cpu_before = loadavg(), server.cpu_seconds()
    out = run_wrk(server.port, targets, workspace.dir, connections, duration, accept_encoding)
    after, cpu = loadavg(), server.cpu_seconds() - cpu_before
    seconds = out["duration_us"] / 1e6
    result = Result(
        scenario=f"{scenario}, {connections} conn",
        database=workspace.database,
        rate_per_s=round(out["requests"] / seconds, 1),
        p50_ms=round(out["p50_us"] / 1000, 2),
        p99_ms=round(out["p99_us"] / 1000, 2),
        errors=out["not_200"] + out["socket_errors"],
        count=out["requests"],
        seconds=round(seconds, 2),
        concurrency=connections,
        load_before=before,
        load_after=after,
        extra={
            "max_ms": out["max_us"] / 1000,
            # CPU the server's processes used per request: what the page costs, whatever
            # else the shared machine is doing (wrk's and the database's CPU not included).
            "server_cpu_ms_per_request": round(cpu * 1000 / max(out["requests"], 1), 2),
        },
    )
    print(
        f"{result.scenario}: {result.rate_per_s:.0f} req/s  p50 {result.p50_ms} ms"
        f"  p99 {result.p99_ms} ms  errors {result.errors}"
        f"  server CPU {result.extra['server_cpu_ms_per_request']} ms/req  load {before}→{after}",
        flush=True,
    )
    return result


def fill_draft(application: Any, step: Any, *, user: Any, party: Any) -> None:
    """Save the bench service's one step with ANSWERS, through the engine's own save_step."""
    from django.http import QueryDict

    from iktipet.applications import services

    data = QueryDict(mutable=True)
    data.update({**ANSWERS, "email": user.email})
    outcome = services.save_step(
        application, step, user=user, party=party, data=data, files=None, action="next", shown=None
    )
    if outcome.go != "summary":
        raise RuntimeError(f"bench draft not complete: {outcome.form.errors}")
