"""The one error every core input check raises: which input is wrong, and why."""

from __future__ import annotations

from typing import Any

Field = tuple[str | int, ...]


class InvalidInput(ValueError):  # noqa: N818 - the name is the API contract's
    """A bad input to core: `field` names it, `message` says what is wrong and what is allowed.

    `field` is a path such as ("layers", 2) or ("x",). It uses the API's JSON names where they
    differ from core's argument names: a network's `sizes` are "layers", a dataset's `name`
    is "kind", explicit batch `indices` are "batch". The message is the exception's text.
    """

    def __init__(self, field: Field, message: str) -> None:
        super().__init__(message)
        self.field: Field = tuple(field)
        self.message: str = message

    def __reduce__(self) -> tuple[type[InvalidInput], tuple[Field, str]]:
        # Picklable with both arguments (the app's worker processes send errors back).
        return (type(self), (self.field, self.message))


def check_rectangular(value: Any, field: Field) -> None:
    """InvalidInput when `value` is a list of lists of unequal lengths (a ragged matrix),
    naming the lengths; NumPy's own words for it ("inhomogeneous shape after 1 dimensions")
    name neither the field nor the fix."""
    if not isinstance(value, list | tuple) or not value:
        return
    lengths = {len(row) for row in value if isinstance(row, list | tuple)}
    if len(lengths) > 1 or (lengths and any(not isinstance(r, list | tuple) for r in value)):
        shown = sorted(lengths)
        name = str(field[0]) + "".join(f"[{k}]" for k in field[1:])
        raise InvalidInput(
            field,
            f"{name} is ragged: its rows have lengths {shown}"
            + (" and some rows are single numbers" if len(lengths) <= 1 else "")
            + "; every row needs the same number of values",
        )
