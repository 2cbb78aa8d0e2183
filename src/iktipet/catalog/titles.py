"""A case's title from the answers: what the service definition's ``case_title`` declares.

Seven cases all called "Skjenkebevilling" tell a person nothing on Min side. A definition
names what makes its cases recognisable — the venue, the child, the address::

    case_title:
      nb: "Skjenkebevilling – {venue_name}"
      en: "Licence to serve alcohol – {venue_name}"

A placeholder is a top-level field's id, filled in with the answer as the summary shows it;
``{child:first_word}`` keeps its first word (a child's first name), ``{address:before_comma}``
what comes before the first comma (the street of "Demogata 10, 0655 OSLO"). A field left
empty leaves the title as the service's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: ``{field_id}`` or ``{field_id:modifier}``.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::([a-z_]+))?\}")
MODIFIERS = {
    "first_word": lambda text: text.split()[0] if text.split() else "",
    "before_comma": lambda text: text.split(",")[0].strip(),
}
MAX_LENGTH = 200


def problems(template: str, field_ids: Iterable[str]) -> list[str]:
    """What is wrong with a ``case_title`` template: unknown fields or modifiers."""
    known = set(field_ids)
    found = []
    for name, modifier in PLACEHOLDER.findall(template):
        if name not in known:
            found.append(f"unknown field '{{{name}}}' (a top-level field's id)")
        if modifier and modifier not in MODIFIERS:
            found.append(f"unknown modifier ':{modifier}' (use {', '.join(sorted(MODIFIERS))})")
    return found


def fill(template: str, shown: Mapping[str, str]) -> str:
    """``template`` with each placeholder replaced by the answer as shown (``shown``: field
    id → its summary text); empty when a placeholder has no answer (the caller falls back
    to the service's title)."""
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        text = " ".join(str(shown.get(match.group(1)) or "").split())
        modifier = MODIFIERS.get(match.group(2) or "")
        text = modifier(text) if modifier and text else text
        missing = missing or not text
        return text

    filled = PLACEHOLDER.sub(replace, template)
    return "" if missing else filled[:MAX_LENGTH]


def shown_answers(summary_sections: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """Field id → its text, from an application summary's sections (``summary_sections``)."""
    shown: dict[str, str] = {}
    for section in summary_sections:
        rows = section.get("rows")
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, Mapping) and row.get("field_id"):
                shown[str(row["field_id"])] = str(row.get("value") or "")
    return shown
