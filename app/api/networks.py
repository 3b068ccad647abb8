"""The network resource: create, import, read, read its data, patch, reset, delete, export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response, status

from app.api.common import API_PREFIX, NETWORK, NetworkId, WithHistory, _201, _404, _409, _413, _429
from app.deps import SettingsDep, StoreDep
from app.domain import insight, networks, room, transfer
from app.encode import JSONResponse, JSONRoute
from app.guard.shared import creating
from app.schemas import (
    DataView,
    NetworkCreate,
    NetworkExport,
    NetworkImport,
    NetworkPatch,
    NetworkPublic,
)
from app.settings import Settings
from app.store import Change, NetworkRecord, NotFoundError, Store

router = APIRouter(prefix=API_PREFIX, route_class=JSONRoute)


@router.post(
    "/networks",
    status_code=201,
    response_model=NetworkPublic,
    tags=["networks"],
    responses={**_201, **_413, **_429},
)
def create_network(
    store: StoreDep, settings: SettingsDep, body: Annotated[NetworkCreate | None, Body()] = None
) -> JSONResponse:
    """Build a network (all fields optional) and store it; its URL is in `Location`."""
    config, _ = networks.build_config(body or NetworkCreate(), settings.limits)
    record = networks.new_record(config)
    _store_new(store, settings, record, [])
    return _created(record, [], settings)


@router.post(
    "/networks/import",
    status_code=201,
    response_model=NetworkPublic,
    tags=["networks"],
    responses={**_201, **_413, **_429},
)
def import_network(store: StoreDep, settings: SettingsDep, doc: NetworkImport) -> JSONResponse:
    """Create a network from a document made by `GET …/export`."""
    record, history = transfer.import_record(doc, settings.limits)
    _store_new(store, settings, record, history)
    return _created(record, history, settings)


@router.post(
    NETWORK + "/copy",
    status_code=201,
    response_model=NetworkPublic,
    tags=["networks"],
    responses={**_201, **_404, **_429},
)
def copy_network(network_id: NetworkId, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """A new network with the same config, weights, optimizer state, step and history; the
    source is unchanged (a trained network to share: the receiver trains the copy)."""
    source = store.get(network_id)
    history = store.history(network_id)
    record = transfer.copy_record(source)
    _store_new(store, settings, record, history)
    return _created(record, history, settings)


def _store_new(
    store: Store, settings: Settings, record: NetworkRecord, history: list[dict[str, Any]]
) -> None:
    """Store a new network within the per-network and the store's bounds (422, 429)."""
    size = room.network_bytes(record, history, settings.limits)
    with creating(settings.store):  # the caps hold across workers
        room.make_room(store, settings.limits, size)
        store.create(record, history)


def _created(record: Any, history: list[dict[str, Any]], settings: Any) -> JSONResponse:
    return JSONResponse(
        networks.public(record, history, settings.limits),
        status_code=201,
        headers={"Location": f"/api/v1/networks/{record.id}"},
    )


@router.get(NETWORK, response_model=NetworkPublic, tags=["networks"], responses=_404)
def get_network(
    network_id: NetworkId, store: StoreDep, settings: SettingsDep, history: WithHistory = True
) -> JSONResponse:
    """The network's config, parameters, step count, history and current metrics."""
    record = store.get(network_id)
    entries = store.history(network_id) if history else []
    return JSONResponse(networks.public(record, entries, settings.limits))


@router.get(NETWORK + "/data", response_model=DataView, tags=["networks"], responses=_404)
def get_data(network_id: NetworkId, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """The network's dataset: points, targets and the train/test split."""
    return JSONResponse(insight.data_view(store.get(network_id), settings.limits))


@router.patch(
    NETWORK,
    response_model=NetworkPublic,
    tags=["networks"],
    responses={**_404, **_409, **_413},
)
def patch_network(
    network_id: NetworkId,
    patch: NetworkPatch,
    store: StoreDep,
    settings: SettingsDep,
    history: WithHistory = True,
) -> JSONResponse:
    """Change hyper-parameters without a reset, or set one weight or bias."""
    store.update(network_id, lambda r: networks.apply_patch(r, patch, settings.limits))
    return get_network(network_id, store, settings, history)


@router.post(NETWORK + "/reset", response_model=NetworkPublic, tags=["networks"], responses=_404)
def reset(network_id: NetworkId, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Back to the initial weights (same seed), step 0, empty history."""
    store.update(
        network_id,
        lambda r: Change(result=None, record=networks.reset_record(r), clear_history=True),
    )
    return get_network(network_id, store, settings)


@router.delete(NETWORK, status_code=204, tags=["networks"], responses=_404)
def delete(network_id: NetworkId, store: StoreDep) -> Response:
    """Delete the network and its history."""
    if not store.delete(network_id):
        raise NotFoundError(network_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(NETWORK + "/export", response_model=NetworkExport, tags=["networks"], responses=_404)
def export(network_id: NetworkId, store: StoreDep) -> JSONResponse:
    """A JSON document with the config, parameters, optimizer state, step and history."""
    record = store.get(network_id)
    doc = transfer.export_doc(record, store.history(network_id))
    return JSONResponse(
        doc,
        headers={"Content-Disposition": f'attachment; filename="network-{network_id[:8]}.json"'},
    )
