"""The one error every core input check raises: which input is wrong, and why."""

from __future__ import annotations

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
