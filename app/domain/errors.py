"""What a request can fail with, without HTTP: app/main.py maps each to its status."""

from __future__ import annotations


class InputError(ValueError):
    """A request that is well-formed JSON but not acceptable; `loc` names the field."""

    def __init__(self, loc: tuple[str | int, ...], msg: str) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg


class ConflictError(InputError):
    """A well-formed request that does not fit the network as it is: an index past its
    layers or its training set, an option of another optimizer, inputs of another width."""


class DivergedError(RuntimeError):
    """The network's numbers became NaN or infinite."""


class StoreFullError(RuntimeError):
    """No room for another network."""
