"""Schemathesis against the live API, every operation, with a valid token: no server
error and no response that breaks the OpenAPI document."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as st_checks


class Token:
    def __init__(self, backoffice) -> None:
        self.backoffice, self.value, self.at = backoffice, "", 0.0

    def get(self) -> str:
        if time.monotonic() - self.at > 90:  # TestID's tokens live 120 s
            self.value, self.at = self.backoffice.token(), time.monotonic()
        return self.value


@pytest.fixture
def api_schema(backoffice, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    return schemathesis.openapi.from_url(f"{backoffice.base}/api/v1/openapi.json")


@pytest.fixture
def token(backoffice):
    return Token(backoffice)


CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_schema_conformance,
]


def test_the_api_keeps_its_documented_promises(api_schema, token):
    # Driven by hand rather than by schemathesis' pytest plugin, which pytest 9 breaks.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token.get()}"}, checks=CHECKS
            )

        run()
