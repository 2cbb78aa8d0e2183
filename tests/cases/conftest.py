"""Fixtures for the cases tests: offline settings (private storage in tmp, mail in memory),
a submitted case, Kari signed in on the test client and a case worker of its agency."""

from __future__ import annotations

import pytest
from django.test import Client

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from support.cases import KARI, submitted_case


@pytest.fixture(autouse=True)
def _cases_settings(offline_settings):
    """tests/conftest.py's offline settings for every test here."""


@pytest.fixture
def case(agencies):
    """A case opened by Kari's application to Næringsetaten, submitted over HTTP."""
    return submitted_case()


@pytest.fixture
def kari(client, agencies):
    """The test client, signed in as Kari (the applicant of ``case``)."""
    sign_in_citizen(client, KARI)
    return client


@pytest.fixture
def staff(agencies):
    """A case worker at Næringsetaten, signed in on a client of their own."""
    return sign_in_staff(Client(), [("naeringsetaten", "case_worker")])
