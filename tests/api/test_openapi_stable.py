"""The OpenAPI document only grows: everything in the recorded baseline is still there, unchanged.

tests/api/openapi_baseline.json is the document as it was before the app was regrouped by
concern (issue 12); fields, operations and schemas may be added, none changed or removed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.openapi.utils import get_openapi

from app.main import create_app
from app.settings import Settings

BASELINE = Path(__file__).with_name("openapi_baseline.json")


def missing(before: Any, after: Any, where: str = "") -> list[str]:
    """Where `after` lacks or changes something `before` has (dicts may gain keys; an
    operation's parameters may gain optional ones)."""
    if _parameters(before) and _parameters(after):
        added = _by_place(after).keys() - _by_place(before).keys()
        out = [
            f"{where}/{name} added as required"
            for name in sorted(added)
            if _by_place(after)[name].get("required")
        ]
        return out + missing(_by_place(before), _by_place(after), where)
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key, value in before.items():
            if key not in after:
                out.append(f"{where}/{key} removed")
            else:
                out += missing(value, after[key], f"{where}/{key}")
        return out
    return [] if before == after else [f"{where} changed: {before!r} -> {after!r}"]


def _parameters(value: Any) -> bool:
    """True for an operation's parameter list: objects each with `in` and `name`."""
    return (
        isinstance(value, list)
        and all(isinstance(p, dict) and {"in", "name"} <= p.keys() for p in value)
        and bool(value)
    )


def _by_place(parameters: list[dict[str, Any]]) -> dict[str, Any]:
    """Parameters keyed by where and what they are: "query:layer"."""
    return {f"{p['in']}:{p['name']}": p for p in parameters}


def current() -> dict[str, Any]:
    app = create_app(Settings(store="memory://"))
    doc = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
    doc["info"].pop("version", None)
    return json.loads(json.dumps(doc))


def test_openapi_keeps_everything_of_the_baseline() -> None:
    assert missing(json.loads(BASELINE.read_text()), current()) == []


def test_the_comparison_sees_a_removed_or_changed_field() -> None:
    before = {"a": {"b": [1, 2], "c": "x"}}
    assert missing(before, {"a": {"b": [1, 2], "c": "x", "d": 1}}) == []
    assert missing(before, {"a": {"b": [1], "c": "x"}}) == ["/a/b changed: [1, 2] -> [1]"]
    assert missing(before, {"a": {"b": [1, 2]}}) == ["/a/c removed"]


def test_an_operation_may_gain_an_optional_parameter_but_not_lose_or_require_one() -> None:
    layer = {"in": "query", "name": "layer", "required": True}
    form = {"in": "query", "name": "form", "required": False}
    before = {"get": {"parameters": [layer]}}
    assert missing(before, {"get": {"parameters": [layer, form]}}) == []
    assert missing(before, {"get": {"parameters": [form]}}) == [
        "/get/parameters/query:layer removed"
    ]
    required = {**form, "required": True}
    assert missing(before, {"get": {"parameters": [layer, required]}}) == [
        "/get/parameters/query:form added as required"
    ]
    changed = {**layer, "required": False}
    assert missing(before, {"get": {"parameters": [changed]}}) == [
        "/get/parameters/query:layer/required changed: True -> False"
    ]
