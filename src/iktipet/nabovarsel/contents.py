"""What a neighbour is shown: the neighbour part of a submitted nabovarsel (blankett 5155).

Built from the application's answers and its frozen service definition. It holds who is
building (a person by name only, never the fødselsnummer), the property, the project, the
plan, the dispensations sought and the drawings — nothing about the other neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from iktipet.registers.property import MatrikkelId

#: File fields of the nabovarsel form a neighbour may download.
NOTICE_FILE_FIELDS = ("situasjonskart", "drawings", "dispensation_document")


@dataclass(frozen=True)
class Dispensation:
    provision: str
    justification: str


@dataclass(frozen=True)
class NoticeContents:
    builder: str
    builder_orgnr: str
    responsible_applicant: str
    property: str
    address: str
    project_types: list[str] = field(default_factory=list)
    description: str = ""
    plan: str = ""
    dispensations: list[Dispensation] = field(default_factory=list)
    #: ``Attachment`` rows (the applications app's), in the form's order.
    attachments: list[Any] = field(default_factory=list)


def matrikkel_text(value: Any) -> str:
    """``"0301-901/12"`` for a property answer; "" for anything that is not one."""
    if not isinstance(value, dict):
        return ""
    try:
        ident = MatrikkelId(
            str(value.get("kommunenummer") or ""),
            int(value.get("gnr") or 0),
            int(value.get("bnr") or 0),
            int(value.get("fnr") or 0),
            int(value.get("snr") or 0),
        )
    except (TypeError, ValueError):
        return ""
    if len(ident.kommunenummer) != 4 or not ident.gnr or not ident.bnr:
        return ""
    return str(ident)


def address_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    street = str(value.get("street") or "").strip()
    place = f"{value.get('postnummer') or ''} {value.get('poststed') or ''}".strip()
    return ", ".join(part for part in (street, place) if part)


def _option_labels(definition: Any, field_id: str, values: Any) -> list[str]:
    spec = definition.field(field_id)
    labels = {option.value: option.label.get() for option in getattr(spec, "options", None) or []}
    return [labels.get(value, str(value)) for value in values or [] if value]


def notice_file_ids(answers: dict[str, Any]) -> list[str]:
    ids: list[str] = []
    for field_id in NOTICE_FILE_FIELDS:
        value = answers.get(field_id)
        if isinstance(value, list):
            ids.extend(str(item) for item in value if isinstance(item, str))
    return list(dict.fromkeys(ids))


def builder_name(answers: dict[str, Any], fallback: str = "") -> tuple[str, str]:
    """(name, orgnr) of the tiltakshaver as the form names them."""
    if answers.get("tiltakshaver_kind") == "organisation":
        return (
            str(answers.get("tiltakshaver_orgname") or fallback),
            str(answers.get("tiltakshaver_orgnr") or ""),
        )
    person = answers.get("tiltakshaver_person")
    name = str(person.get("name") or "") if isinstance(person, dict) else ""
    return name or fallback, ""


def notice_contents(case: Any) -> NoticeContents:
    """The notice of ``case`` (a nabovarsel case the caller fetched through a selector)."""
    application = case.application
    answers: dict[str, Any] = dict(application.answers or {}) if application else {}
    definition = application.service_version.definition_model if application else None
    builder, orgnr = builder_name(answers, case.party_name)
    dispensations = []
    if answers.get("needs_dispensation") is True:
        for row in answers.get("dispensations") or []:
            if isinstance(row, dict):
                dispensations.append(
                    Dispensation(
                        str(row.get("provision") or ""), str(row.get("justification") or "")
                    )
                )
    files: list[Any] = []
    if application is not None:
        ids = notice_file_ids(answers)
        found = {str(a.pk): a for a in application.attachments.filter(pk__in=ids)}
        files = [found[item] for item in ids if item in found]
    return NoticeContents(
        builder=builder,
        builder_orgnr=orgnr,
        responsible_applicant=str(answers.get("ansvarlig_soker") or ""),
        property=matrikkel_text(answers.get("byggested")),
        address=address_text(answers.get("byggested_address")),
        project_types=(
            _option_labels(definition, "tiltakstyper", answers.get("tiltakstyper"))
            if definition is not None
            else []
        ),
        description=str(answers.get("description") or ""),
        plan=str(answers.get("plan") or ""),
        dispensations=dispensations,
        attachments=files,
    )
