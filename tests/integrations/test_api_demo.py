"""The demo's API client: `iktipet testid_api_token` gets a token the production way and
the first call the demo banner prints works."""

from __future__ import annotations

import io

import httpx
from django.core.management import call_command


def test_the_demo_banner_first_call_works(api_site):
    from iktipet.core import demo
    from iktipet.integrations.demo_data import CLIENT_ID, load_api_client

    load_api_client()
    assert any("testid_api_token" in hint for hint in demo.login_hints())
    out = io.StringIO()
    call_command("testid_api_token", CLIENT_ID, stdout=out)
    token = out.getvalue().strip()
    response = httpx.get(
        f"{api_site}/api/v1/cases", headers={"Authorization": f"Bearer {token}"}, timeout=20
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"items": [], "next_cursor": None}


def test_the_reference_page_and_the_openapi_document(api_site):
    from openapi_spec_validator import validate

    document = httpx.get(f"{api_site}/api/v1/openapi.json", timeout=20).json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    schemas = document["components"]["schemas"]
    assert {"CaseOut", "CasePageOut", "ProblemOut", "DocumentOut", "EventPageOut"} <= set(schemas)
    for name, schema in schemas.items():
        assert schema.get("examples"), name
    page = httpx.get(f"{api_site}/api/v1/docs", timeout=20)
    assert page.status_code == 200
    assert "/cases/{case_id}/status" in page.text
    assert "<script" not in page.text
