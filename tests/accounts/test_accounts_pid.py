"""The fødselsnummer at rest: encrypted, hashed for look-ups, shown masked."""

from __future__ import annotations

import pytest

from iktipet.accounts import pid

KARI = "17819049912"


def test_encryption_round_trips_with_a_fresh_nonce():
    first, second = pid.encrypt_pid(KARI), pid.encrypt_pid(KARI)
    assert first != second
    assert KARI not in first
    assert pid.decrypt_pid(first) == KARI == pid.decrypt_pid(second)


def test_lookup_hash_is_stable_and_keyed(settings):
    settings.PID_ENCRYPTION_KEY = "key-one"
    one = pid.pid_lookup_hash(KARI)
    assert one == pid.pid_lookup_hash(KARI)
    assert KARI not in one
    settings.PID_ENCRYPTION_KEY = "key-two"
    assert pid.pid_lookup_hash(KARI) != one


def test_another_key_cannot_decrypt(settings):
    settings.PID_ENCRYPTION_KEY = "key-one"
    token = pid.encrypt_pid(KARI)
    settings.PID_ENCRYPTION_KEY = "key-two"
    with pytest.raises(pid.PidDecryptionError):
        pid.decrypt_pid(token)


def test_tampered_ciphertext_is_refused():
    token = pid.encrypt_pid(KARI)
    head, body = token.split(":")
    flipped = body[:-3] + ("A" if body[-3] != "A" else "B") + body[-2:]
    with pytest.raises(pid.PidDecryptionError):
        pid.decrypt_pid(f"{head}:{flipped}")
    with pytest.raises(pid.PidDecryptionError):
        pid.decrypt_pid("garbage")


def test_masked():
    assert pid.mask(KARI) == "178190 *****"
