"""Bounded validation errors: a hostile body gets a few errors, never millions.

Pydantic collects every error of a list: `"params": [["", "", …]]` with 300,000 items built
600,000 errors (70 s of CPU, a gigabyte, a 65 MB response). Request models derive from
FailFastModel, whose schema has `fail_fast` on every list, set and tuple, so a list stops at
its first bad item (each branch of a union reports once); the 422 handler then shows at most
MAX_ERRORS errors and counts the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import CoreSchema

T = TypeVar("T")
MAX_ERRORS = 10  # errors shown in one 422; the rest are counted
_SEQUENCES = {"list", "tuple", "set", "frozenset", "deque"}


def fail_fast(schema: Any) -> Any:
    """A copy of a pydantic core schema with `fail_fast` on every sequence."""
    if isinstance(schema, dict):
        out = {key: fail_fast(value) for key, value in schema.items()}
        if out.get("type") in _SEQUENCES:
            out["fail_fast"] = True
        return out
    if isinstance(schema, list | tuple):  # union choices may be (schema, label) tuples
        return type(schema)(fail_fast(item) for item in schema)
    return schema


class FailFastModel(BaseModel):
    """A model whose lists stop validating at their first bad item.

    Pydantic reuses a model's validator wherever the model is nested or wrapped (FastAPI's
    body adapters too), so this one schema hook covers every use.
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema: CoreSchema = fail_fast(handler(source))
        return schema


def bounded(errors: Sequence[T], show: Callable[[T], dict[str, Any]]) -> list[dict[str, Any]]:
    """The first MAX_ERRORS errors as `show` words them, then one item counting the rest."""
    shown = [show(error) for error in errors[:MAX_ERRORS]]
    rest = len(errors) - len(shown)
    if rest > 0:
        shown.append(
            {
                "loc": [],
                "msg": f"{rest} more error{'s' if rest > 1 else ''} not shown "
                "(each list reports its first bad item only)",
                "type": "too_many_errors",
            }
        )
    return shown
