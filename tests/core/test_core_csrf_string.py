"""``ops.middleware.csrf_string``: Django's CSRF secrets and masks, drawn in one call."""

from __future__ import annotations

from collections import Counter

from django.middleware import csrf
from django.test import Client

from iktipet.ops.middleware import csrf_string, mask_cipher_secret


def test_a_string_as_djangos() -> None:
    drawn = [csrf_string() for _ in range(2000)]
    assert all(len(s) == csrf.CSRF_SECRET_LENGTH for s in drawn)
    assert all(not csrf.invalid_token_chars_re.search(s) for s in drawn)
    assert len(set(drawn)) == len(drawn)
    # Uniform over the 62 characters: 64 000 draws, ~1032 each; a modulo bias (256 % 62)
    # would give the first eight characters ~1.25 times as many, a chi-square of ~440 over
    # 61 degrees of freedom, where uniform draws stay below 130 but once in ~10^6 runs. (The
    # ratio of the largest count to the smallest, which this asked before, passes 1.2 for
    # uniform draws about once in twenty runs: 1132 against 942 failed a run.)
    counts = Counter("".join(drawn))
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    expected = len(drawn) * csrf.CSRF_SECRET_LENGTH / len(csrf.CSRF_ALLOWED_CHARS)
    assert sum((n - expected) ** 2 / expected for n in counts.values()) < 130


def test_the_middleware_draws_djangos_strings_with_it(db: object) -> None:
    Client().get("/")  # loads the middleware
    assert csrf._get_new_csrf_string is csrf_string
    secret = csrf._get_new_csrf_string()
    token = csrf._mask_cipher_secret(secret)
    assert csrf._unmask_cipher_token(token) == secret


def _djangos_mask(secret: str, mask: str) -> str:
    """Django's ``_mask_cipher_secret`` with this mask (its code, the draw given)."""
    chars = csrf.CSRF_ALLOWED_CHARS
    pairs = zip((chars.index(x) for x in secret), (chars.index(x) for x in mask), strict=False)
    return mask + "".join(chars[(x + y) % len(chars)] for x, y in pairs)


def test_a_mask_as_djangos(monkeypatch) -> None:
    for _ in range(200):
        secret, mask = csrf_string(), csrf_string()
        monkeypatch.setattr(csrf, "_get_new_csrf_string", lambda mask=mask: mask)
        token = mask_cipher_secret(secret)
        assert token == _djangos_mask(secret, mask)
        assert csrf._unmask_cipher_token(token) == secret
    edges = csrf.CSRF_ALLOWED_CHARS[-1] * 32
    monkeypatch.setattr(csrf, "_get_new_csrf_string", lambda: edges)
    assert mask_cipher_secret(edges) == _djangos_mask(edges, edges)


def test_the_middleware_masks_with_it(db: object) -> None:
    Client().get("/")  # loads the middleware
    assert csrf._mask_cipher_secret is mask_cipher_secret
