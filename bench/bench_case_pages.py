"""Case pages benchmark: the case worker's inbox and case page, and the applicant's Min side
and case page, under load from many logged-in users.

Sets up a throw-away var dir and database (SQLite; a fresh PostgreSQL database with --pg),
publishes the one-step bench service (agency ``bymiljoetaten``) and creates its data through
the real code paths, in-process: --citizens citizens, each logged in (session written directly
as the login leaves it) with --cases-per-citizen applications saved with ``save_step`` and
submitted with ``submit_application``, which opens each case through ``iktipet.cases``. Then
--workers case workers with the role ("bymiljoetaten", "case_worker") take cases with
``assign_case``, and every --history-every'th case gets a history through
``iktipet.cases.services``: ``transition_case`` (start_review), ``request_information``, the
applicant's answer (``post_citizen_message``, which moves it back), ``post_staff_message``
and a second citizen message that stays unread: about six timeline events and four messages.
Staff sessions are written the way ``accounts.services.sign_in`` leaves them after a staff
login (Django's auth keys and ``sessions.store_login`` with provider "staff", no level).

`iktipet serve` (granian WSGI, 2 workers × 8 threads) then runs on 127.0.0.1, and `wrk`
rotates through the users' cookies and URLs. Only a 200 counts as success. Pages:

* ``GET /saksbehandling/saker/``: each case worker's inbox ("Mine saker", 25 rows a page);
* ``GET /saksbehandling/saker/<id>/``: a case with history, by a case worker of its agency
  (writes an audit row and moves the worker's read marker: by design, measured as it is);
* ``GET /min-side/``: a citizen with --cases-per-citizen cases;
* ``GET /min-side/saker/<id>/``: the applicant's page of a case with history (marks the
  thread read: a write, measured as it is).

Before the load, each page is requested once in-process with ``django.test.Client`` under
``CaptureQueriesContext``, and the number of SQL statements is printed.

    .venv/bin/python bench/bench_case_pages.py                   # SQLite, 16 conn × 10 s
    .venv/bin/python bench/bench_case_pages.py --pg postgres://postgres@127.0.0.1:5432
    .venv/bin/python bench/bench_case_pages.py --connections 8,32 --duration 15 \
        --json bench/results/case_pages.json

Bounded: one pre-flight GET per target, a 2 s warm-up per page, then one --duration run
(max 60 s) per page and connection count. Needs `wrk` (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _appbench import (
    HOST,
    SERVICE_ID,
    SESSION_COOKIE,
    STEP_ID,
    Result,
    Workspace,
    common_arguments,
    fill_draft,
    logged_in_session,
    measure,
    report,
    request,
    run_wrk,
    served,
    shuffled,
    synthetic_fodselsnummer,
)

TARGET = "target ≥ 760 req/s with p99 < 50 ms per page (ten times the closest peer's ~76)"
AGENCY = "bymiljoetaten"
_CASE_LINK = re.compile(rb'href="/(?:saksbehandling|min-side)/saker/([0-9a-f-]{36})/"')

# (name, what must be in a 200 body to count the pre-flight as the real page)
PAGES = {
    "inbox": ("GET /saksbehandling/saker/", b"/saksbehandling/saker/"),
    "staff_case": ("GET /saksbehandling/saker/<id>/", b"/melding/"),
    "my_page": ("GET /min-side/", b"/min-side/saker/"),
    "citizen_case": ("GET /min-side/saker/<id>/", b"/melding/"),
}


@dataclass
class Login:
    user_id: int
    session_key: str
    address: str

    def cookie(self) -> str:
        return f"{SESSION_COOKIE}={self.session_key}"


def _address(index: int) -> str:
    return f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"


def staff_session(user: Any) -> str:
    """A session as ``accounts.services.sign_in`` leaves it after a staff login: Django's
    auth keys and ``sessions.store_login`` with the staff provider (no level, no party)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from iktipet.accounts import sessions
    from iktipet.accounts.oidc.provider import STAFF
    from iktipet.accounts.services import BACKEND

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    sessions.store_login(store, sessions.LoginInfo(STAFF, None, sessions.now(), "", ""), "")
    store.save()
    return str(store.session_key)


# --- data, through the real code paths ------------------------------------------------------


@dataclass
class Data:
    citizens: list[tuple[Login, list[str]]]  # each citizen and the ids of its cases
    workers: list[Login]
    history_cases: list[tuple[str, Login, Login]]  # case id, its worker, its applicant


def make_data(citizens: int, per_citizen: int, workers: int, history_every: int) -> Data:
    from django.db import transaction

    from iktipet.accounts.models import Person, User
    from iktipet.accounts.parties import for_self
    from iktipet.accounts.services import sync_staff_roles
    from iktipet.applications import services as applications
    from iktipet.cases import services as cases
    from iktipet.cases.models import Case
    from iktipet.catalog.selectors import current_version, published_service

    version = current_version(published_service(SERVICE_ID))
    step = version.definition_model.step(STEP_ID)

    staff: list[tuple[User, Login]] = []
    for index in range(workers):
        user = User.objects.create(
            username=f"bench-sb-{index}",
            first_name="Saks",
            last_name=f"Behandler {index}",
            email=f"bench-sb-{index}@example.invalid",
            kind=User.Kind.STAFF,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        sync_staff_roles(user, [(AGENCY, "case_worker")])
        user.refresh_from_db()
        staff.append((user, Login(user.pk, staff_session(user), _address(60000 + index))))

    people: list[tuple[Login, list[str]]] = []
    history: list[tuple[str, Login, Login]] = []
    serial = 0
    for index in range(citizens):
        with transaction.atomic():
            user = User.objects.create(
                username=f"bench-{index}",
                first_name="Test",
                last_name=f"Innbygger {index}",
                email=f"bench-{index}@example.invalid",
                kind=User.Kind.CITIZEN,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            person = Person(user=user)
            person.set_pid(synthetic_fodselsnummer(index))
            person.save()
            login = Login(user.pk, logged_in_session(user, person), _address(index))
        party = for_self(user)
        case_ids = []
        for _n in range(per_citizen):
            application = applications.start_application(user=user, party=party, version=version)
            fill_draft(application, step, user=user, party=party)
            application.refresh_from_db()
            applications.submit_application(application, user=user, party=party)
            case = Case.objects.select_related("agency", "thread").get(application=application)
            case_ids.append(str(case.pk))
            worker, worker_login = staff[serial % len(staff)]
            if serial % 3 != 2:  # two in three cases are taken; the rest stay unassigned
                case = cases.assign_case(case, user=worker, assignee=worker)
            if serial % history_every == 0:
                give_history(case, worker, user)
                history.append((str(case.pk), worker_login, login))
            serial += 1
        people.append((login, case_ids))
    return Data(people, [login for _user, login in staff], history)


def give_history(case: Any, worker: Any, citizen: Any) -> None:
    """received → under review → waiting (request) → under review (answer), a staff message
    and a citizen message the worker has not read: ~6 timeline events, 4 messages."""
    from iktipet.cases import services as cases
    from iktipet.cases.models import Case

    def fresh() -> Case:
        return Case.objects.select_related("agency", "thread", "assignee").get(pk=case.pk)

    if case.assignee_id is None:
        cases.assign_case(fresh(), user=worker, assignee=worker)
    cases.transition_case(fresh(), "start_review", user=worker, note="Vi ser på saken.")
    cases.request_information(
        fresh(), user=worker, body="Kan du sende et bilde av hullet og si hvor stort det er?"
    )
    cases.post_citizen_message(
        fresh(), user=citizen, body="Det er omtrent en halv meter bredt. Bilde kommer."
    )
    cases.post_staff_message(fresh(), user=worker, body="Takk! Vi sender en mannskapsbil.")
    cases.post_citizen_message(fresh(), user=citizen, body="Flott, tusen takk for hjelpen.")


def targets_of(data: Data) -> dict[str, list[tuple[str, str, str]]]:
    inbox = [("/saksbehandling/saker/", w.cookie(), w.address) for w in data.workers]
    staff_case = [
        (f"/saksbehandling/saker/{case_id}/", worker.cookie(), worker.address)
        for case_id, worker, _citizen in data.history_cases
    ]
    my_page = [("/min-side/", c.cookie(), c.address) for c, _ids in data.citizens]
    citizen_case = [
        (f"/min-side/saker/{case_id}/", citizen.cookie(), citizen.address)
        for case_id, _worker, citizen in data.history_cases
    ]
    return {
        "inbox": inbox,
        "staff_case": shuffled(staff_case),
        "my_page": shuffled(my_page),
        "citizen_case": shuffled(citizen_case),
    }


# --- queries per request (in-process) ---------------------------------------------------------


def count_queries(targets: dict[str, list[tuple[str, str, str]]]) -> dict[str, dict[str, Any]]:
    """One request of each page with django.test.Client under CaptureQueriesContext (a
    warm-up request first, so per-process caches are filled as on a running server)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found: dict[str, dict[str, Any]] = {}
    for name, items in targets.items():
        path, cookie, address = items[-1]
        client = Client(HTTP_HOST=HOST, REMOTE_ADDR=HOST, HTTP_X_FORWARDED_FOR=address)
        client.cookies[SESSION_COOKIE] = cookie.split("=", 1)[1]
        client.get(path)  # warm-up: caches, translations, templates
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"in-process GET {path} answered {response.status_code}")
        sql = [q["sql"] for q in captured.captured_queries]
        writes = [s for s in sql if s.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        rows = len(set(_CASE_LINK.findall(response.content)))
        found[name] = {"queries": len(sql), "writes": len(writes), "sql": sql, "case_links": rows}
    return found


def profile(name: str, targets: list[tuple[str, str, str]], requests: int) -> None:
    """pyinstrument over ``requests`` in-process GETs of one page (rotating its targets);
    needs ``pip install pyinstrument`` (not a project dependency)."""
    from django.test import Client
    from pyinstrument import Profiler

    clients = []
    for path, cookie, address in targets:
        client = Client(HTTP_HOST=HOST, REMOTE_ADDR=HOST, HTTP_X_FORWARDED_FOR=address)
        client.cookies[SESSION_COOKIE] = cookie.split("=", 1)[1]
        client.get(path)  # warm-up
        clients.append((client, path))
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for index in range(requests):
        client, path = clients[index % len(clients)]
        if client.get(path).status_code != 200:
            raise RuntimeError(f"in-process GET {path} failed")
    profiler.stop()
    seconds = time.perf_counter() - started
    print(
        f"\nprofile of {PAGES[name][0]}: {requests} requests in-process,"
        f" {seconds * 1000 / requests:.2f} ms each (with the profiler)"
    )
    print(profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False))


# --- load -------------------------------------------------------------------------------------


def preflight(port: int, name: str, targets: list[tuple[str, str, str]]) -> int:
    marker = PAGES[name][1]

    def one(target: tuple[str, str, str]) -> int:
        path, cookie, address = target
        status, _headers, body = request(
            "GET", port, path, {"Cookie": cookie, "X-Forwarded-For": address}
        )
        if status != 200 or marker not in body:
            raise RuntimeError(f"GET {path} answered {status}, not the page")
        return len(body)

    with ThreadPoolExecutor(8) as pool:
        return max(pool.map(one, targets))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=60, help="citizens (max 1000)")
    parser.add_argument("--cases-per-citizen", type=int, default=5, help="max 20")
    parser.add_argument("--workers", type=int, default=4, help="case workers (max 50)")
    parser.add_argument(
        "--history-every", type=int, default=5, help="every n-th case gets a history"
    )
    parser.add_argument("--pages", default=",".join(PAGES), help="comma list of " + ",".join(PAGES))
    parser.add_argument("--connections", default="16", help="comma list")
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (max 60)")
    parser.add_argument("--show-sql", action="store_true", help="print each page's statements")
    parser.add_argument("--no-reference", action="store_true", help="skip /healthz and /")
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        help="instead of the load: profile PAGE in-process with pyinstrument (not installed"
        " by the project: pip install pyinstrument into the venv)",
    )
    parser.add_argument("--profile-requests", type=int, default=300, help="max 5000")
    common_arguments(parser)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    duration = max(1, min(args.duration, 60))
    levels = [max(1, min(int(c), 256)) for c in args.connections.split(",")]
    pages = [p for p in args.pages.split(",") if p]
    if unknown := set(pages) - set(PAGES):
        raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}")

    workspace = Workspace(args.pg, "bench-cases")
    results: list[Result] = []
    queries: dict[str, dict[str, Any]] = {}
    try:
        print(f"Preparing {workspace.database} in {workspace.dir} …", flush=True)
        workspace.prepare()
        workspace.django()
        started = time.monotonic()
        data = make_data(
            max(1, min(args.citizens, 1000)),
            max(1, min(args.cases_per_citizen, 20)),
            max(1, min(args.workers, 50)),
            max(1, args.history_every),
        )
        total = sum(len(ids) for _c, ids in data.citizens)
        print(
            f"{total} cases of {len(data.citizens)} citizens, {len(data.workers)} case workers,"
            f" {len(data.history_cases)} with history, in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        targets = targets_of(data)
        queries = count_queries({name: targets[name] for name in pages})
        print("\nSQL statements per request (in-process, django.test.Client):")
        for name in pages:
            q = queries[name]
            print(
                f"  {PAGES[name][0]}: {q['queries']} queries, {q['writes']} of them writes"
                f" ({q['case_links']} case links on the page)"
            )
            if args.show_sql:
                for sql in q["sql"]:
                    print(f"      {sql[:160]}")
        if args.profile:
            if args.profile not in PAGES:
                raise SystemExit(f"unknown page {args.profile}")
            profile(args.profile, targets[args.profile], max(1, min(args.profile_requests, 5000)))
            return
        from django.db import connections

        connections.close_all()
        with served(workspace) as server:
            for name in pages:
                size = preflight(server.port, name, targets[name])
                run_wrk(server.port, targets[name], workspace.dir, max(levels), 2)  # warm-up
                for connections_ in levels:
                    result = measure(
                        server, PAGES[name][0], targets[name], workspace, connections_, duration
                    )
                    result.extra.update(
                        {
                            "page_bytes": size,
                            "targets": len(targets[name]),
                            "queries_per_request": queries[name]["queries"],
                            "writes_per_request": queries[name]["writes"],
                        }
                    )
                    results.append(result)
            if not args.no_reference:
                for path, name in (("/healthz", "reference /healthz"), ("/", "reference /")):
                    reference = [(path, "x=y", "10.0.0.1")]
                    run_wrk(server.port, reference, workspace.dir, max(levels), 1)
                    results.append(
                        measure(server, name, reference, workspace, max(levels), duration)
                    )
    finally:
        workspace.close(args.keep)
    for result in results:
        if "queries_per_request" in result.extra:
            result.scenario += f" ({result.extra['queries_per_request']} q)"
    report(results, args.json, TARGET)


if __name__ == "__main__":
    main()
