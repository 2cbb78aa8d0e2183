"""Serve benchmark: `iktipet serve` (granian WSGI) against gunicorn sync and gthread.

Each server runs the real application on a fresh SQLite demo database, on 127.0.0.1 only.
The load generator is `wrk` (Debian: `apt-get install wrk`); without it a small threaded
Python client is used, which competes harder for the same CPUs, so only compare figures
made with the same generator.

    .venv/bin/python bench/serve.py                 # every configuration, 10 s per run
    .venv/bin/python bench/serve.py --duration 5 --only granian
    .venv/bin/python bench/serve.py --json bench/results/serve.json

Bounded: at most len(configurations) × len(paths) runs of --duration seconds (plus a short
warm-up each); every server is stopped before the next starts.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HOST = "127.0.0.1"  # loopback only, by design
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PATHS = ["/healthz", "/"]


@dataclass
class Result:
    server: str
    path: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def configurations(threads: int) -> list[tuple[str, list[str]]]:
    app = "iktipet.wsgi:application"
    configs = [
        (
            f"granian w=2 t={threads} (iktipet serve)",
            [str(BIN / "iktipet"), "serve", "--workers", "2", "--threads", str(threads)],
        )
    ]
    for workers in (2, 3, 4, 5):
        configs.append(
            (
                f"gunicorn sync w={workers}",
                [str(BIN / "gunicorn"), "-k", "sync", "-w", str(workers), app],
            )
        )
    for workers in (2, 3, 4, 5):
        configs.append(
            (
                f"gunicorn gthread w={workers} t={threads}",
                [
                    str(BIN / "gunicorn"),
                    "-k",
                    "gthread",
                    "-w",
                    str(workers),
                    "--threads",
                    str(threads),
                    app,
                ],
            )
        )
    return configs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare_database(env: dict[str, str]) -> None:
    for command in (
        ["migrate", "--no-input", "--verbosity", "0"],
        ["load_demo", "--verbosity", "0"],
    ):
        subprocess.run([str(BIN / "iktipet"), *command], env=env, check=True, timeout=300)


def bind_args(command: list[str], port: int) -> list[str]:
    if Path(command[0]).name == "gunicorn":
        return [*command[:1], "-b", f"{HOST}:{port}", "--log-level", "warning", *command[1:]]
    return [*command, "--host", HOST, "--port", str(port)]


def wait_until_up(port: int, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            status, _ = request_once(port, "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not answer /healthz in time")


def request_once(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- load generators ---------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def run_wrk(
    port: int, path: str, connections: int, duration: int
) -> tuple[float, float, float, int]:
    url = f"http://{HOST}:{port}{path}"
    output = subprocess.run(
        ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    return rps, p50, p99, errors


def run_python_client(
    port: int, path: str, connections: int, duration: int
) -> tuple[float, float, float, int]:
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop_at = time.monotonic() + duration

    def loop(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
                continue
            latencies[index].append((time.perf_counter() - started) * 1000)
        connection.close()

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = sorted(x for per in latencies for x in per)
    if not merged:
        return 0.0, 0.0, 0.0, sum(errors)
    cut = statistics.quantiles(merged, n=100)
    return len(merged) / duration, cut[49], cut[98], sum(errors)


# --- main ----------------------------------------------------------------------------------


def measure(
    name: str,
    command: list[str],
    env: dict[str, str],
    work: Path,
    connections: int,
    duration: int,
    load: Callable[[int, str, int, int], tuple[float, float, float, int]],
    round_number: int,
) -> list[Result]:
    port = free_port()
    metrics_dir = work / "prometheus" / f"{round_number}-{port}"
    metrics_dir.mkdir(parents=True)
    run_env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    process = subprocess.Popen(
        bind_args(command, port), env=run_env, cwd=ROOT, start_new_session=True
    )
    results = []
    try:
        wait_until_up(port, process)
        for path in PATHS:
            status, _ = request_once(port, path)
            if status != 200:
                raise RuntimeError(f"{name}: GET {path} answered {status}")
            load(port, path, connections, min(2, duration))  # warm-up: every worker and thread
            rps, p50, p99, errors = load(port, path, connections, duration)
            results.append(Result(name, path, round(rps, 1), round(p50, 2), round(p99, 2), errors))
            print(
                f"round {round_number}  {name:34} {path:9} {rps:9.0f} req/s  p50 {p50:7.2f} ms"
                f"  p99 {p99:7.2f} ms  errors {errors}  load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    finally:
        stop(process)
    return results


def summarise(results: list[Result]) -> list[Result]:
    """Per server and path, the run with the median requests/s (the robust one on a busy box)."""
    runs: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        runs.setdefault((r.server, r.path), []).append(r)
    summary = []
    for rows in runs.values():
        ordered = sorted(rows, key=lambda r: r.requests_per_s)
        summary.append(ordered[(len(ordered) - 1) // 2])
    return summary


def spread(results: list[Result], server: str, path: str) -> str:
    values = [r.requests_per_s for r in results if (r.server, r.path) == (server, path)]
    return f"{min(values):.0f}–{max(values):.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (max 60)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved repetitions (max 7)")
    parser.add_argument(
        "--only", default="", help="comma-separated: configurations whose name contains one"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    duration = max(1, min(args.duration, 60))
    args.rounds = max(1, min(args.rounds, 7))
    generator = "wrk" if shutil.which("wrk") else "python"
    load = run_wrk if generator == "wrk" else run_python_client

    work = Path(tempfile.mkdtemp(prefix="iktipet-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("IKTIPET_")}
    env.update(
        {
            "IKTIPET_VAR_DIR": str(work / "var"),
            "IKTIPET_SECRET_KEY": "benchmark-only-" + "k" * 40,
            "IKTIPET_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "iktipet.settings",
        }
    )
    print(f"Preparing a SQLite demo database in {work} …", flush=True)
    prepare_database(env)

    results: list[Result] = []
    wanted = [part.strip() for part in args.only.split(",")]
    selected = [c for c in configurations(args.threads) if any(w in c[0] for w in wanted)]
    load_before = os.getloadavg()
    # Rounds interleave the servers, so a burst of other load on the machine hits all alike.
    for round_number in range(1, args.rounds + 1):
        for name, command in selected:
            results.extend(
                measure(name, command, env, work, args.connections, duration, load, round_number)
            )
    load_after = os.getloadavg()
    shutil.rmtree(work, ignore_errors=True)

    best = summarise(results)
    print()
    print(
        f"Median of {args.rounds} round(s); generator {generator}, {args.connections} connections,"
        f" {duration} s per run; load average before {load_before[0]:.1f}, after"
        f" {load_after[0]:.1f} on {os.cpu_count()} CPUs."
    )
    print("| server | path | req/s (median) | req/s range | p50 ms | p99 ms | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in best:
        figures = (
            f"{r.requests_per_s:.0f} | {spread(results, r.server, r.path)} | {r.p50_ms}"
            f" | {r.p99_ms} | {r.errors}"
        )
        print(f"| {r.server} | `{r.path}` | {figures} |")
    for path in PATHS:
        top = max((r for r in best if r.path == path), key=lambda r: r.requests_per_s, default=None)
        if top:
            print(f"Fastest on {path}: {top.server} ({top.requests_per_s:.0f} req/s)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    "machine": f"{os.cpu_count()} CPUs, {platform.platform()}",
                    "generator": generator,
                    "connections": args.connections,
                    "duration_s": duration,
                    "rounds": args.rounds,
                    "load_average": [load_before, load_after],
                    "median": [asdict(r) for r in best],
                    "results": [asdict(r) for r in results],
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
