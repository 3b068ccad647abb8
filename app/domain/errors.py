"""What a request can fail with, without HTTP: app/main.py maps each to its status."""

from __future__ import annotations

from typing import Any


class InputError(ValueError):
    """A request that is well-formed JSON but not acceptable; `loc` names the field.

    `type` is the error item's stable type ("value_error", "limit", "loss_mismatch", …);
    `extra` its further fields (a limit's `limit`, `bound` and `value`).
    """

    def __init__(
        self, loc: tuple[str | int, ...], msg: str, type: str = "value_error", **extra: Any
    ) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg
        self.type = type
        self.extra = extra

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process and sent back: rebuilt as it was, whatever the subclass's
        # own arguments are.
        return _rebuild, (type(self), self.args, self.__dict__)

    def item(self, where: str) -> dict[str, Any]:
        """The 422/409 error item: loc (under `where`, body or query), msg, type, extras."""
        return {"loc": [where, *self.loc], "msg": self.msg, "type": self.type, **self.extra}


def _rebuild(cls: type[InputError], args: tuple[Any, ...], state: dict[str, Any]) -> InputError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class ConflictError(InputError):
    """A well-formed request that does not fit the network as it is: an index past its
    layers or its training set, an option of another optimizer, inputs of another width."""


class DivergedError(RuntimeError):
    """The network's numbers became NaN or infinite."""


class StoreFullError(RuntimeError):
    """No room for another network; `retry_after`: seconds until some network may be deleted."""

    def __init__(self, msg: str, retry_after: int = 3600) -> None:
        super().__init__(msg)
        self.retry_after = retry_after
