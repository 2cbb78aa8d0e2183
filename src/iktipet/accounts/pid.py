"""The fødselsnummer at rest: AES-GCM encrypted, plus an HMAC-SHA256 look-up hash.

Both keys derive (HKDF-SHA256) from ``settings.PID_ENCRYPTION_KEY``, or from ``SECRET_KEY``
when that is unset. Changing the key makes stored persons unreadable and unfindable, so a
production installation sets ``IKTIPET_PID_KEY`` once and keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from iktipet.core.identifiers import mask_fodselsnummer

_VERSION = "v1"
# Associated data binds a ciphertext to its purpose: an encrypted pid cannot be passed off
# as some other encrypted value of ours (the id_token kept in the session, say).
_AAD = b"iktipet:pid:v1"


class PidDecryptionError(Exception):
    """The stored value was not encrypted with the configured key (or was tampered with)."""


@lru_cache(maxsize=4)
def _keys(material: str) -> tuple[bytes, bytes]:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"iktipet-pid", info=b"aes-gcm+hmac"
    ).derive(material.encode())
    return derived[:32], derived[32:]


def _material() -> str:
    return settings.PID_ENCRYPTION_KEY or f"secret-key:{settings.SECRET_KEY}"


def encrypt(value: str, *, aad: bytes = _AAD) -> str:
    """``v1:<base64url(nonce || ciphertext || tag)>``; a fresh nonce every time."""
    enc_key, _mac = _keys(_material())
    nonce = os.urandom(12)
    sealed = AESGCM(enc_key).encrypt(nonce, value.encode(), aad)
    return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, aad: bytes = _AAD) -> str:
    version, _, body = token.partition(":")
    if version != _VERSION or not body:
        raise PidDecryptionError("unknown format")
    enc_key, _mac = _keys(_material())
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return AESGCM(enc_key).decrypt(raw[:12], raw[12:], aad).decode()
    except (InvalidTag, ValueError) as exc:
        raise PidDecryptionError("cannot decrypt") from exc


def encrypt_pid(pid: str) -> str:
    return encrypt(pid)


def decrypt_pid(token: str) -> str:
    return decrypt(token)


def pid_lookup_hash(pid: str) -> str:
    """A keyed hash: equal pids give equal hashes, and without the key it reveals nothing."""
    _enc, mac_key = _keys(_material())
    return hmac.new(mac_key, pid.encode(), hashlib.sha256).hexdigest()


def mask(pid: str) -> str:
    """``170190 *****``: the date part only."""
    return mask_fodselsnummer(pid)
