"""Request bodies as JSON, strictly: UTF-8 text, shallow, Unicode strings, readable numbers.

Every refusal is a json.JSONDecodeError, which the app answers with a 422 `json_invalid`
whose message says what is wrong and what is accepted.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32  # arrays and objects inside each other; the API's documents nest at most 6
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_BOMS = {
    b"\xef\xbb\xbf": "UTF-8 with a byte order mark",
    b"\xff\xfe": "UTF-16 (little-endian, with a byte order mark)",
    b"\xfe\xff": "UTF-16 (big-endian, with a byte order mark)",
}


def loads(body: bytes) -> Any:
    """The JSON value of `body`, or json.JSONDecodeError saying why it is refused."""
    text = _utf8(body)
    try:
        value = json.loads(text)
    except RecursionError:
        raise _error(_too_deep(), text) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer past Python's 4300-digit conversion limit
        digits = re.search(r"value has (\d+) digits", str(exc))
        count = f"{digits.group(1)} digits" if digits else "too many digits"
        raise _error(
            f"a number has {count}; every number this API accepts has at most 16", text
        ) from None
    _check_structure(value, strings=_SURROGATE_ESCAPE.search(text) is not None, text=text)
    return value


def _utf8(body: bytes) -> str:
    for bom, name in _BOMS.items():
        if body.startswith(bom):
            raise _error(f"the body is {name}; send UTF-8 without a byte order mark", "")
    encoding = json.detect_encoding(body)
    if encoding != "utf-8":
        raise _error(f"the body is {encoding.upper()}; JSON bodies must be UTF-8", "")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = body.decode("utf-8", errors="replace")
        raise _error(f"the body is not UTF-8 ({exc.reason} at byte {exc.start})", text) from None


def _check_structure(value: Any, strings: bool, text: str) -> None:
    """Refuse nesting past MAX_DEPTH and, when `strings`, lone surrogates in any string.

    Containers of scalars are checked by the types they hold (one C pass over a list), so
    even a 16 MB array costs a fraction of its parsing.
    """
    if not strings and text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
            if strings:
                _check_strings(item.keys(), text)
        elif isinstance(item, list):
            children = item
        else:
            if strings and isinstance(item, str):
                _check_strings((item,), text)
            continue
        if depth > MAX_DEPTH:
            raise _error(_too_deep(), text)
        kinds = set(map(type, children))
        if strings and str in kinds:
            _check_strings((c for c in children if isinstance(c, str)), text)
        if list in kinds or dict in kinds:
            stack.extend((c, depth + 1) for c in children if isinstance(c, list | dict))


def _check_strings(strings: Any, text: str) -> None:
    for s in strings:
        try:
            s.encode("utf-8")
        except UnicodeEncodeError as exc:
            code = ord(s[exc.start])
            raise _error(
                f"a string contains a lone UTF-16 surrogate (\\u{code:04x}), which is not "
                "Unicode text",
                text,
            ) from None


def _too_deep() -> str:
    return (
        f"arrays and objects nest more than {MAX_DEPTH} levels deep "
        "(the API's documents nest at most 6)"
    )


def _error(message: str, text: str) -> json.JSONDecodeError:
    return json.JSONDecodeError(message, text, 0)
