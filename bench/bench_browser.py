"""What a browser transfers for a page: the front page, a form step and the staff case page,
loaded in headless Chromium over a throttled 3G-like link, first with an empty cache and then
again (a repeat visit).

The server is `iktipet serve` as shipped (it runs collectstatic on start: hashed names,
brotli/gzip copies, immutable caching), on a throw-away SQLite workspace with the data from
the real code paths (``_appbench.make_citizens``, ``bench_case_pages.make_data``). Playwright
drives Debian's Chromium (/usr/bin/chromium, or IKTIPET_CHROMIUM). Chrome's DevTools protocol
throttles the link (default 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip: Lighthouse's
"slow 4G"/regular 3G profile) and reports, per load:

* the bytes that came over the wire (``encodedDataLength``: headers and compressed bodies);
* the requests that went to the network, and those the cache answered;
* the largest contentful paint (LCP), from the page's own PerformanceObserver.

    .venv/bin/python bench/bench_browser.py
    .venv/bin/python bench/bench_browser.py --down-kbit 400 --rtt-ms 400 \
        --json bench/results/browser.json

Exit status 1 when a first visit to the form step is over 100 KB, or a repeat visit loads
anything but the page itself (issue 13). Bounded: three pages, two loads each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _appbench import HOST, SESSION_COOKIE, Workspace, make_citizens, served
from bench_case_pages import make_data

CHROMIUM = Path(os.environ.get("IKTIPET_CHROMIUM", "/usr/bin/chromium"))
LCP_SCRIPT = """
window.__lcp = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { window.__lcp = entry.startTime; }
}).observe({type: "largest-contentful-paint", buffered: true});
"""
STEP_LIMIT = 100 * 1024


def visit(context: Any, url: str, throttle: dict[str, Any]) -> dict[str, Any]:
    """Load ``url`` in a new tab of ``context`` under ``throttle``; what went over the wire."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", throttle)
    requests: dict[str, dict[str, Any]] = {}

    def sent(event: dict[str, Any]) -> None:
        requests[event["requestId"]] = {"url": event["request"]["url"], "bytes": 0, "cache": False}

    def cached(event: dict[str, Any]) -> None:
        requests.setdefault(event["requestId"], {"url": "?", "bytes": 0})["cache"] = True

    def received(event: dict[str, Any]) -> None:
        response = event["response"]
        item = requests.setdefault(event["requestId"], {"url": response["url"], "bytes": 0})
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            item["cache"] = True
        item["status"] = response["status"]
        item["encoding"] = response.get("headers", {}).get("content-encoding", "")

    def finished(event: dict[str, Any]) -> None:
        item = requests.setdefault(event["requestId"], {"url": "?", "cache": False})
        item["bytes"] = event["encodedDataLength"]

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.requestServedFromCache", cached)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    page.add_init_script(LCP_SCRIPT)
    started = time.monotonic()
    response = page.goto(url, wait_until="load")
    loaded_ms = (time.monotonic() - started) * 1000
    # Fonts may arrive after "load": count everything until the network is quiet.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # the LCP entry is reported after the paint
    lcp = page.evaluate("window.__lcp")
    status = response.status if response else 0
    page.close()
    network = [r for r in requests.values() if not r.get("cache") and r.get("bytes", 0) > 0]
    return {
        "status": status,
        "transferred_bytes": sum(r["bytes"] for r in network),
        "network_requests": len(network),
        "cache_hits": sum(1 for r in requests.values() if r.get("cache")),
        "lcp_ms": round(lcp, 0),
        "load_ms": round(loaded_ms, 0),
        "resources": [
            {k: r.get(k) for k in ("url", "bytes", "encoding", "cache")} for r in requests.values()
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--down-kbit", type=int, default=1600, help="download, kbit/s")
    parser.add_argument("--up-kbit", type=int, default=750, help="upload, kbit/s")
    parser.add_argument("--rtt-ms", type=int, default=150, help="round trip, ms")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (debugging)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    throttle = {
        "offline": False,
        "latency": args.rtt_ms,
        "downloadThroughput": args.down_kbit * 1000 / 8,
        "uploadThroughput": args.up_kbit * 1000 / 8,
    }
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the set-up runs before Playwright
    workspace = Workspace(None, "bench-browser")
    results: dict[str, Any] = {"throttle": throttle}
    try:
        workspace.prepare()
        workspace.django()
        citizen = make_citizens(1, complete=False, first_index=7000)[0]
        data = make_data(1, 1, 1, 1)
        case_id, worker, _applicant = data.history_cases[0]
        pages = [
            ("front page", "/", ""),
            ("form step", citizen.step_path, citizen.session_key),
            ("staff case page", f"/saksbehandling/saker/{case_id}/", worker.session_key),
        ]
        from django.db import connections

        connections.close_all()
        from playwright.sync_api import sync_playwright

        with served(workspace) as server, sync_playwright() as playwright:
            base = f"http://{HOST}:{server.port}"
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
            )
            for label, path, session in pages:
                context = browser.new_context(locale="nb-NO")
                if session:
                    context.add_cookies(
                        [{"name": SESSION_COOKIE, "value": session, "url": base + "/"}]
                    )
                first = visit(context, base + path, throttle)
                repeat = visit(context, base + path, throttle)
                context.close()
                if first["status"] != 200 or repeat["status"] != 200:
                    raise RuntimeError(f"{path} answered {first['status']}/{repeat['status']}")
                results[label] = {"first": first, "repeat": repeat}
                for name, load in (("first visit", first), ("repeat visit", repeat)):
                    print(
                        f"{label}, {name}: {load['transferred_bytes'] / 1024:.1f} KB over"
                        f" {load['network_requests']} requests ({load['cache_hits']} from the"
                        f" cache), LCP {load['lcp_ms']:.0f} ms, load {load['load_ms']:.0f} ms",
                        flush=True,
                    )
            browser.close()
    finally:
        workspace.close(args.keep)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    print()
    print("| page | visit | transferred KB | requests (network / cache) | LCP ms |")
    print("|---|---|---:|---:|---:|")
    for label, _path, _session in pages:
        for name in ("first", "repeat"):
            load = results[label][name]
            print(
                f"| {label} | {name} | {load['transferred_bytes'] / 1024:.1f}"
                f" | {load['network_requests']} / {load['cache_hits']} | {load['lcp_ms']:.0f} |"
            )
    step = results["form step"]
    failures = []
    if step["first"]["transferred_bytes"] > STEP_LIMIT:
        failures.append(f"first visit to the step: {step['first']['transferred_bytes']} bytes")
    for label, _path, _session in pages:
        if results[label]["repeat"]["network_requests"] > 1:
            failures.append(f"repeat visit to the {label} loaded more than the page")
    if failures:
        print("\nOver the limits:\n  " + "\n  ".join(failures))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
