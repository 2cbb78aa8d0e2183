"""Reading service definition files: YAML → validated definition, or problems with
file, path and reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from iktipet.catalog.checks import Problem, check_definition
from iktipet.catalog.schema import Definition, parse_definition
from iktipet.catalog.schema.fields import FIELD_TYPES

# libyaml's parser when present: the pure-Python one took ~0.5 s per definition here.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader that rejects duplicate keys and keeps dates as text (the schema parses
    them), so the stored JSON is exactly what the author wrote."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeBase.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class DefinitionFile:
    path: Path
    data: dict[str, Any] | None = None
    definition: Definition | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.definition is not None and not self.problems

    def messages(self) -> list[str]:
        return [f"{self.path}: {problem}" for problem in self.problems]


def definition_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files to read: each path itself, or every *.yaml/*.yml in a directory."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def read_definition(path: Path, agencies: set[str] | None = None) -> DefinitionFile:
    result = DefinitionFile(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        result.problems.append(Problem("", f"cannot read file: {exc}"))
        return result
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        result.problems.append(Problem("", f"not valid YAML: {_yaml_reason(exc)}"))
        return result
    if not isinstance(data, dict):
        result.problems.append(Problem("", "a service definition is a mapping (key: value)"))
        return result
    result.data = data
    try:
        definition = parse_definition(data)
    except ValidationError as exc:
        result.problems.extend(_problems(exc, data))
        return result
    if definition.id != path.stem:
        result.problems.append(
            Problem("id", f"id '{definition.id}' must equal the file name ('{path.stem}')")
        )
    result.problems.extend(check_definition(definition, agencies))
    result.definition = definition
    return result


def read_definitions(
    paths: Iterable[Path | str], agencies: set[str] | None = None
) -> list[DefinitionFile]:
    files = [read_definition(path, agencies) for path in definition_paths(paths)]
    seen: dict[str, Path] = {}
    for item in files:
        if item.definition is None:
            continue
        if item.definition.id in seen:
            item.problems.append(
                Problem(
                    "id",
                    f"service id '{item.definition.id}' is also used by {seen[item.definition.id]}",
                )
            )
        else:
            seen[item.definition.id] = item.path
    return files


def _yaml_reason(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def _problems(exc: ValidationError, data: Any) -> list[Problem]:
    return [Problem(_path(error["loc"], data), _reason(error)) for error in exc.errors()]


def _path(loc: tuple[Any, ...], data: Any) -> str:
    path, node = "", data
    for key in loc:
        if isinstance(key, int):
            path += f"[{key}]"
            node = node[key] if isinstance(node, list) and key < len(node) else None
            continue
        if (
            isinstance(node, dict)
            and key not in node
            and key
            in (
                node.get("type"),
                node.get("kind", "form"),
            )
        ):
            continue  # pydantic names the union member it tried; the author never wrote it
        path += f".{key}" if path else str(key)
        node = node.get(key) if isinstance(node, dict) else None
    return path


def _reason(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "union_tag_invalid":
        expected = ctx.get("expected_tags", "")
        if ctx.get("discriminator") == "'type'":
            return (
                f"unknown field type '{ctx.get('tag')}' (expected one of: {', '.join(FIELD_TYPES)})"
            )
        return f"unknown kind '{ctx.get('tag')}' (expected one of: {expected})"
    if kind == "union_tag_not_found":
        return f"missing {ctx.get('discriminator', 'type')}"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")
