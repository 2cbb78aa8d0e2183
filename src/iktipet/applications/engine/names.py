"""The names of a step's inputs in HTML and in the POST.

A field posts under its id. A field in a row of a group posts as ``<group>-<index>-<child>``
(``neighbours-0-name``), and the group posts how many rows the page had as
``<group>-count``. Field ids never hold a ``-`` (``catalog.schema.common.FIELD_ID_PATTERN``),
so a name splits back unambiguously. A composite field (an address, a property) adds its
part to the name: ``neighbours-0-address-street``.

Everything that writes or reads these names (the form engine, the services, the demo data,
the tests) goes through this module.
"""

from __future__ import annotations

from typing import NamedTuple

SEPARATOR = "-"


class RowInput(NamedTuple):
    """A field in one row of a group: the parts of ``<group>-<index>-<child>``."""

    group_id: str
    index: int
    child_id: str


def row_input(group_id: str, index: int, child_id: str) -> str:
    """The name of ``child_id`` in row ``index`` (from 0) of the group ``group_id``."""
    return f"{group_id}{SEPARATOR}{index}{SEPARATOR}{child_id}"


def count_input(group_id: str) -> str:
    """The hidden input that says how many rows of ``group_id`` the page had."""
    return f"{group_id}{SEPARATOR}count"


def parse_row_input(name: str) -> RowInput | None:
    """The group, row and child of a row input's name; None for a top-level field's name."""
    group_id, sep, rest = name.partition(SEPARATOR)
    index, sep2, child_id = rest.partition(SEPARATOR)
    if not sep or not sep2 or not index.isascii() or not index.isdigit() or not child_id:
        return None
    return RowInput(group_id, int(index), child_id)


def field_id_of(name: str) -> str:
    """The schema field an input name belongs to: the child's id for a row input."""
    row = parse_row_input(name)
    return row.child_id if row is not None else name
