"""What TestID refuses, and how: errors go back to a registered redirect_uri, or nowhere."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from stdnum.no import fodselsnummer

pytestmark = pytest.mark.django_db


def rp_query(location: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(location).query))


def _redirect_error(response, auth) -> dict[str, str]:
    from iktipet.testid.conf import issuer

    assert response.status_code == 302, response.content.decode()[:1000]
    assert response["Location"].startswith(auth.redirect_uri + "?")
    query = rp_query(response["Location"])
    assert query["state"] == auth.params["state"]
    assert query["iss"] == issuer()
    assert "code" not in query
    return query


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge": None, "code_challenge_method": None},
        {"code_challenge_method": None},
        {"code_challenge_method": "plain"},
    ],
    ids=["no-pkce", "method-missing-means-plain", "plain"],
)
def test_pkce_with_s256_is_required(rp, overrides):
    auth = rp.authorization(**overrides)
    query = _redirect_error(rp.client.get(auth.url), auth)
    assert query["error"] == "invalid_request"


def test_the_wrong_code_verifier_gets_invalid_grant(rp):
    auth = rp.authorization()
    code = rp.code_after(auth, fnr=rp.KARI, level="substantial")
    response = rp.token(auth, code, verifier="x" * 50)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_code_works_once(rp):
    auth = rp.authorization()
    code = rp.code_after(auth, fnr=rp.KARI, level="substantial")
    assert rp.token(auth, code).status_code == 200
    replay = rp.token(auth, code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"


def test_an_expired_code_is_refused(rp):
    from oauth2_provider.models import get_grant_model

    auth = rp.authorization()
    code = rp.code_after(auth, fnr=rp.KARI, level="substantial")
    grant = get_grant_model().objects.get(code=code)
    lifetime = grant.expires - grant.created
    assert lifetime <= datetime.timedelta(seconds=60)
    get_grant_model().objects.filter(pk=grant.pk).update(
        expires=grant.created - datetime.timedelta(seconds=1)
    )
    response = rp.token(auth, code)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_code_is_bound_to_its_client(rp, testid):
    auth = rp.authorization()
    code = rp.code_after(auth, fnr=rp.KARI, level="substantial")
    staff = rp.authorization(staff=True)
    staff.redirect_uri = auth.redirect_uri
    staff.verifier = auth.verifier
    response = rp.token(staff, code)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_wrong_client_secret_is_refused(rp, testid):
    auth = rp.authorization()
    code = rp.code_after(auth, fnr=rp.KARI, level="substantial")
    response = rp.client.post(
        "/testid/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": auth.redirect_uri,
            "code_verifier": auth.verifier,
            "client_id": auth.client_id,
            "client_secret": "wrong",
        },
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"redirect_uri": "https://evil.example/callback"}, "(redirect_uri), er ikke registrert"),
        ({"redirect_uri": "http://testserver/logg-inn/callback/?x=1"}, "(redirect_uri)"),
        ({"client_id": "unknown-client"}, "Tjenesten (client_id) er ukjent"),
        ({"client_id": None}, "Tjenesten (client_id) er ukjent"),
    ],
    ids=["foreign-redirect", "altered-redirect", "unknown-client", "no-client"],
)
def test_unknown_client_or_redirect_uri_gives_an_error_page_never_a_redirect(
    rp, overrides, message
):
    from iktipet.testid.models import Login

    auth = rp.authorization(**overrides)
    for response in (rp.client.get(auth.url), rp.log_in(auth, fnr=rp.KARI, level="high")):
        assert response.status_code == 400
        assert "Location" not in response
        html = response.content.decode()
        assert "Innloggingen kan ikke startes" in html and message in html
    assert not Login.objects.exists()


def test_the_staff_client_cannot_use_the_citizen_redirect_uri(rp):
    auth = rp.authorization(staff=True, redirect_uri="http://testserver/logg-inn/callback/")
    response = rp.client.get(auth.url)
    assert response.status_code == 400
    assert "Location" not in response


def test_an_unparseable_query_is_a_400_not_a_crash(rp):
    response = rp.client.get("/testid/authorize?client_id=%ZZ&redirect_uri=%")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": "token"}, {"unauthorized_client", "unsupported_response_type"}),
        ({"scope": "profile"}, {"invalid_scope"}),
        ({"prompt": "none"}, {"login_required"}),
    ],
    ids=["implicit", "no-openid", "prompt-none"],
)
def test_requests_idporten_would_refuse_are_refused(rp, overrides, error):
    auth = rp.authorization(**overrides)
    assert _redirect_error(rp.client.get(auth.url), auth)["error"] in error


def _real_format_number() -> str:
    # Built only to prove it is refused; it is never stored or shown.
    base = "170190499"
    partial = base + fodselsnummer.calc_check_digit1(base + "00")
    return partial + fodselsnummer.calc_check_digit2(partial + "0")


@pytest.mark.parametrize(
    ("fnr", "message"),
    [
        ("17819049913", "Fødselsnummeret er ikke gyldig"),
        ("1781904991", "Fødselsnummeret må ha 11 siffer"),
        ("abc", "Fødselsnummeret må ha 11 siffer"),
        (None, "TestID godtar bare syntetiske fødselsnumre"),
    ],
    ids=["checksum", "too-short", "letters", "real-format"],
)
def test_an_invalid_number_gives_a_form_error_and_no_redirect(rp, fnr, message):
    from oauth2_provider.models import get_grant_model

    from iktipet.testid.models import Login

    number = _real_format_number() if fnr is None else fnr
    response = rp.log_in(rp.authorization(), fnr=number, level="substantial")
    assert response.status_code == 200
    html = response.content.decode()
    assert any(message in text for text in rp.error_summary(html)), rp.error_summary(html)
    assert 'aria-invalid="true"' in html and 'href="#id_fnr"' in html
    assert not Login.objects.exists()
    assert not get_grant_model().objects.exists()


def test_the_real_format_number_used_above_passes_the_check_digits():
    assert fodselsnummer.is_valid(_real_format_number())


def test_an_empty_form_asks_for_a_person(rp):
    response = rp.log_in(rp.authorization(), level="substantial")
    assert response.status_code == 200
    assert rp.error_summary(response.content.decode()) == [
        "Velg en testperson eller skriv inn et syntetisk fødselsnummer."
    ]


def test_an_unknown_staff_user_is_refused(rp):
    response = rp.log_in(rp.authorization(staff=True), staff="nobody")
    assert response.status_code == 200
    assert rp.error_summary(response.content.decode()) == ["Velg en av testansatte i listen."]


def test_login_posts_are_rate_limited(rp):
    from iktipet.testid.views.authorize import LOGIN_LIMIT

    auth = rp.authorization()
    statuses = [rp.log_in(auth, fnr="1").status_code for _ in range(LOGIN_LIMIT.count + 1)]
    assert statuses[:-1] == [200] * LOGIN_LIMIT.count
    assert statuses[-1] == 429


ENDPOINTS = [
    "/testid/.well-known/openid-configuration",
    "/testid/jwks.json",
    "/testid/authorize",
    "/testid/token",
    "/testid/userinfo",
    "/testid/logout",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_is_404_when_testid_is_off(testid, client, path):
    testid.TESTID_ENABLED = False
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


@pytest.mark.parametrize("path", ENDPOINTS)
def test_nothing_is_mounted_without_testid(settings, client, path):
    settings.TESTID_ENABLED = False
    settings.ROOT_URLCONF = "iktipet.urls"
    assert client.get(path).status_code == 404
