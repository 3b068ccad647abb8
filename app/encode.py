"""JSON at the boundary: NumPy arrays go straight to orjson, never through jsonable_encoder."""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson
from fastapi.responses import Response

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    # orjson serialises C-contiguous float/int arrays itself; the rest (transposed views,
    # numpy scalars) comes here.
    if isinstance(value, np.ndarray):
        return np.ascontiguousarray(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def dumps(content: Any) -> bytes:
    """JSON bytes; NaN and infinity (which callers never pass on purpose) become null."""
    return orjson.dumps(content, default=_default, option=_OPTIONS)


class JSONResponse(Response):
    """A JSON response encoded with orjson."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)
