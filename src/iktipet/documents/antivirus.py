"""Virus scanning of uploads, as plugins: ``none`` (default) and ``clamav`` (clamd INSTREAM).

Configured by ``IKTIPET_ANTIVIRUS`` and ``IKTIPET_CLAMAV_URL`` through the plugin registry
(``virus_scanners.configured()``), whose system check reports a malformed clamd address. A
scan that cannot complete is reported as an error, and the upload is refused: we fail closed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from iktipet.core.registry import Plugin, Registry
from iktipet.documents import clamd


class Verdict(enum.StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    ERROR = "error"
    NOT_SCANNED = "not_scanned"


@dataclass(frozen=True)
class ScanResult:
    verdict: Verdict
    detail: str = ""  # the signature name or the error, for operators' logs only


class BaseVirusScanner(Plugin):
    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        raise NotImplementedError


virus_scanners: Registry[BaseVirusScanner] = Registry(
    "virus scanner", BaseVirusScanner, setting="ANTIVIRUS"
)


@virus_scanners.register("none")
class NoScanner(BaseVirusScanner):
    label = "No virus scanning"

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        return ScanResult(Verdict.NOT_SCANNED)


@virus_scanners.register("clamav")
class ClamAVScanner(BaseVirusScanner):
    label = "ClamAV (clamd INSTREAM)"

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {"url": conf.CLAMAV_URL}

    def check_config(self) -> list[str]:
        try:
            clamd.ClamdAddress.parse(self.url)
        except ValueError as exc:
            return [f"IKTIPET_CLAMAV_URL {exc}"]
        return []

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        try:
            reply = clamd.instream(clamd.ClamdAddress.parse(self.url), chunks, timeout=self.timeout)
        except (ValueError, clamd.ClamdError) as exc:
            return ScanResult(Verdict.ERROR, str(exc))
        if reply.endswith(": OK"):
            return ScanResult(Verdict.CLEAN)
        if reply.endswith(" FOUND"):
            signature = reply.split(": ", 1)[-1].removesuffix(" FOUND")
            return ScanResult(Verdict.INFECTED, signature)
        return ScanResult(Verdict.ERROR, reply[:200])


def configured_scanner() -> BaseVirusScanner:
    """The scanner ``IKTIPET_ANTIVIRUS`` names (default ``none``), built from the settings."""
    return virus_scanners.configured()
