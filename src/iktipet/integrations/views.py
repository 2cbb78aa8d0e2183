"""The API reference: a page rendered on the server from the OpenAPI document, so it works
offline and without JavaScript (no Swagger UI from a CDN)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from iktipet.integrations.api import api

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for route, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            found.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "anchor": operation.get("operationId", ""),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tags": operation.get("tags", []),
                    "parameters": operation.get("parameters", []),
                    "body": [
                        (media, _schema_name(spec.get("schema", {}).get("$ref", "")))
                        for media, spec in body.items()
                    ],
                    "responses": [
                        (
                            code,
                            response.get("description", ""),
                            _schema_name(
                                next(iter(response.get("content", {}).values()), {})
                                .get("schema", {})
                                .get("$ref", "")
                            ),
                        )
                        for code, response in operation.get("responses", {}).items()
                    ],
                    "scopes": [
                        scope
                        for requirement in operation.get("security", [])
                        for scope in requirement
                    ],
                }
            )
    return found


def _schemas(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        examples = schema.get("examples") or []
        found.append(
            {
                "name": name,
                "description": schema.get("description", ""),
                "properties": [
                    (
                        prop,
                        spec.get("type") or _schema_name(spec.get("$ref", "")) or "object",
                        prop in schema.get("required", []),
                        spec.get("description", ""),
                    )
                    for prop, spec in schema.get("properties", {}).items()
                ],
                "example": json.dumps(examples[0], indent=2, ensure_ascii=False)
                if examples
                else "",
            }
        )
    return found


def reference(request: HttpRequest) -> HttpResponse:
    document = api.get_openapi_schema()
    return render(
        request,
        "integrations/reference.html",
        {
            "title": _("API-referanse"),
            "info": document.get("info", {}),
            "operations": _operations(document),
            "schemas": _schemas(document),
        },
    )
