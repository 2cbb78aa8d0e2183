"""The staff landing page sends case workers and agency admins to the inbox."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iktipet.accounts.testing import sign_in_staff


@pytest.mark.parametrize("role", ["case_worker", "agency_admin"])
def test_case_roles_go_to_the_inbox(client, agencies, role):
    sign_in_staff(client, [("naeringsetaten", role)])
    response = client.get("/saksbehandling/")
    assert response.status_code == 302
    assert response.url == reverse("casework:inbox")
    assert client.get(response.url).status_code == 200


def test_others_keep_the_page(client, agencies):
    sign_in_staff(client, [("naeringsetaten", "service_admin")])
    assert client.get("/saksbehandling/").status_code == 200
