"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

A plugin of tests/conftest.py (``pytest_plugins``), so any test may ask for them:

    @pytest.mark.browser
    def test_my_journey(page, live_server, axe_check):
        page.goto(f"{live_server.url}/tjenester/")
        axe_check(page)

``page`` records Content-Security-Policy violations in ``page.csp_violations`` (a list of
console messages), so a test can assert the page needs nothing the policy forbids.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# while one is active unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("IKTIPET_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is open, and a browser test elsewhere in the tree that starts its own would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    page = browser_context.new_page()
    page.csp_violations = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            page.csp_violations.append(message.text)

    page.on("console", on_console)
    yield page
    page.close()


def _report(violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) (WCAG 2.1 A/AA):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node.get('html', '').strip()[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_check() -> Callable[..., None]:
    """``axe_check(page)`` fails the test with a readable list of any WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page: Any, context: Any = None) -> None:
        # A check that starts while a click's navigation commits finds no document yet.
        page.wait_for_load_state("load")
        options = {
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        }
        results = axe.run(page, context=context, options=options)
        violations = results.response["violations"]
        if violations:
            report = _report(violations)
            print(report)
            pytest.fail(f"{page.url}\n{report}", pytrace=False)

    return check
