"""Shared data for the catalogue tests (a module with a unique name, importable from tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

AGENCY_SLUGS = {"naeringsetaten", "plan-og-bygningsetaten", "utdanningsetaten", "bymiljoetaten"}

MINIMAL: dict[str, Any] = {
    "kind": "form",
    "id": "testtjeneste",
    "agency": "naeringsetaten",
    "title": {"nb": "Testtjeneste", "en": "Test service"},
    "summary": {"nb": "En tjeneste for tester.", "en": "A service for tests."},
    "audience": "person",
    "login_level": "substantial",
    "workflow": "standard",
    "processing_time": {"nb": "3 uker", "en": "3 weeks"},
    "receipt": {"nb": "Mottatt.", "en": "Received."},
    "params": {"rate": 2.5},
    "steps": [
        {
            "id": "first",
            "title": {"nb": "Første", "en": "First"},
            "fields": [
                {"id": "count", "type": "integer", "label": {"nb": "Antall", "en": "Count"}},
                {
                    "id": "note",
                    "type": "text",
                    "required": False,
                    "label": {"nb": "Merknad", "en": "Note"},
                    "visible_if": "count > 2",
                },
            ],
            "validations": [
                {
                    "id": "positive",
                    "check": "count > 0",
                    "fields": ["count"],
                    "message": {"nb": "Må være positivt.", "en": "Must be positive."},
                }
            ],
        },
        {
            "id": "second",
            "title": {"nb": "Andre", "en": "Second"},
            "fields": [
                {
                    "id": "ok",
                    "type": "declaration",
                    "label": {"nb": "Jeg bekrefter", "en": "I confirm"},
                }
            ],
        },
    ],
    "fee": {
        "expression": "double(count) * params.rate",
        "description": {"nb": "2,50 kr per stykk", "en": "NOK 2.50 each"},
    },
}


def write_definition(directory: Path, data: dict[str, Any], name: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name or data.get('id', 'x')}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
