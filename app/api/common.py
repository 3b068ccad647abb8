"""What the routes share: the network id in a path, the documented error responses, links."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from starlette.convertors import Convertor, register_url_convertor

from app.schemas import Conflict, Message


class NetworkIdConvertor(Convertor[str]):
    """A network id in a path: any segment but `import`, so /networks/import is only that
    route (PATCH on it is a 405, not a malformed id); the id's form is checked by NetworkId."""

    regex = "(?!import$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("network_id", NetworkIdConvertor())


API_PREFIX = "/api/v1"

NETWORK = "/networks/{network_id:network_id}"


NetworkId = Annotated[
    str, Path(pattern="^[0-9a-f]{32}$", description="The network's id (32 hex characters).")
]


Responses = dict[int | str, dict[str, Any]]


_404: Responses = {404: {"model": Message, "description": "Network not found"}}


_409: Responses = {
    409: {
        "model": Conflict,
        "description": "The request does not fit this network (an index past its layers or "
        "its training set, an option of another optimizer, inputs of another width), or the "
        "network diverged (NaN or infinity) and must be reset",
    }
}


_413: Responses = {
    413: {"model": Message, "description": "The request body exceeds BACKPROP_LENS_MAX_BODY_BYTES"}
}


_429: Responses = {
    429: {
        "model": Message,
        "description": "The store is full, or this address created too many networks; see "
        "Retry-After",
    }
}


# Each created network links to what can be done with it (OpenAPI links, for clients and fuzzers).
_NETWORK_OPERATIONS = {
    "GetNetwork": ("", "get"),
    "PatchNetwork": ("", "patch"),
    "DeleteNetwork": ("", "delete"),
    "GetData": ("/data", "get"),
    "Step": ("/step", "post"),
    "Forward": ("/forward", "post"),
    "Explain": ("/explain", "get"),
    "Gradcheck": ("/gradcheck", "post"),
    "Boundary": ("/boundary", "get"),
    "Reset": ("/reset", "post"),
    "Export": ("/export", "get"),
    "Copy": ("/copy", "post"),
}


_CREATED_LINKS = {
    name: {
        "operationRef": f"#/paths/~1api~1v1~1networks~1{{network_id}}{tail.replace('/', '~1')}"
        f"/{method}",
        "parameters": {"network_id": "$response.body#/id"},
    }
    for name, (tail, method) in _NETWORK_OPERATIONS.items()
}


_201: Responses = {201: {"description": "Created; its URL is in Location", "links": _CREATED_LINKS}}


WithHistory = Annotated[
    bool, Query(description="false leaves `history` empty (it may hold 20,000 entries).")
]
