"""The idle limit against a controlled clock: active every N/2 minutes is never logged out."""

from __future__ import annotations

import pytest

from iktipet.accounts import sessions
from iktipet.accounts.testing import sign_in_citizen

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.at = 1_800_000_000.0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(sessions, "now", clock)
    return clock


def _still_logged_in(client) -> bool:
    response = client.get("/min-side/")
    return response.status_code == 200 and "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("idle_minutes", "gap_seconds"),
    [
        (1, 30),  # exactly N/2
        (1, 29),  # the case a fixed 60 s write interval lost: written at 0, out at 87
        (1, 17),
        (2, 60),
        (2, 59),
        (30, 15 * 60),
        (30, 15 * 60 - 1),
    ],
)
def test_active_every_half_the_idle_limit_is_never_logged_out(
    client, offline_settings, clock, idle_minutes, gap_seconds
):
    offline_settings.SESSION_IDLE_SECONDS = idle_minutes * 60
    offline_settings.SESSION_ABSOLUTE_SECONDS = 24 * 3600
    sign_in_citizen(client)
    periods = 6
    for _ in range(periods * idle_minutes * 60 // gap_seconds):
        clock.at += gap_seconds
        assert _still_logged_in(client), f"logged out after {clock.at - 1_800_000_000.0} s"


@pytest.mark.parametrize("idle_minutes", [1, 2, 30])
def test_idle_longer_than_the_limit_is_logged_out(client, offline_settings, clock, idle_minutes):
    offline_settings.SESSION_IDLE_SECONDS = idle_minutes * 60
    offline_settings.SESSION_ABSOLUTE_SECONDS = 24 * 3600
    sign_in_citizen(client)
    clock.at += idle_minutes * 30
    assert _still_logged_in(client)
    clock.at += idle_minutes * 60 + 1
    response = client.get("/min-side/")
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")
    assert "_auth_user_id" not in client.session
