"""Public references for submitted applications: ``IKT-2026-7K3QX9``.

Readable aloud and over the phone: no 0/O, 1/I/L or U. Random, so a reference reveals
nothing about how many applications there are; uniqueness is the database's job.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6
PREFIX = "IKT"


def new_reference(year: int) -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{PREFIX}-{year}-{code}"
