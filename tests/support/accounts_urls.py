"""The project's URLs plus a page that demands level high (as a service may)."""

from django.http import HttpResponse
from django.urls import include, path

from iktipet.accounts import acting_party, citizen_login_required


@citizen_login_required(level="high")
def high_service(request):
    party = acting_party(request)
    return HttpResponse(f"high ok {party.kind} {party.id}")


urlpatterns = [
    path("test/hoy/", high_service),
    path("", include("iktipet.urls")),
]
