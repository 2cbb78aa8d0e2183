"""Demo: a back-office system registered as an API client of Plan- og bygningsetaten and
Næringsetaten, with a TestID machine client to get its tokens, and how to make a first call."""

from __future__ import annotations

from django.conf import settings

from iktipet.core.demo import loader, login_hint
from iktipet.core.models import Agency
from iktipet.integrations.models import SCOPES, ApiClient
from iktipet.integrations.services import ensure_service_user, sync_service_roles

CLIENT_ID = "demo-fagsystem"
ORGNR = "999000001"  # synthetic: not a real organisation
AGENCIES = ("naeringsetaten", "plan-og-bygningsetaten")


@loader(order=60)
def load_api_client() -> None:
    if not settings.TESTID_ENABLED:
        return
    from iktipet.testid.machine import register_test_client

    client, _created = ApiClient.objects.update_or_create(
        orgnr=ORGNR, defaults={"name": "Demo Fagsystem AS", "scopes": list(SCOPES)}
    )
    client.agencies.set(Agency.objects.filter(slug__in=AGENCIES))
    ensure_service_user(client)
    sync_service_roles(client)
    register_test_client(CLIENT_ID, ORGNR, list(SCOPES))
    base = settings.BASE_URL.rstrip("/")
    login_hint(f"API: TOKEN=$(IKTIPET_TESTID=1 iktipet testid_api_token {CLIENT_ID})")
    login_hint(f'     curl -H "Authorization: Bearer $TOKEN" {base}/api/v1/cases')
    login_hint(f"     reference: {base}/api/v1/docs  (Demo Fagsystem AS, {ORGNR})")
