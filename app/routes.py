"""The REST API v1: thin routes that validate, load, call the service, save and encode."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Response, status
from starlette.convertors import Convertor, register_url_convertor

from app import cost, service, views
from app.deps import ExecutorDep, SettingsDep, StoreDep
from app.encode import JSONResponse, JSONRoute
from app.guard.shared import creating
from app.records import NetworkRecord
from app.schemas import (
    BackpropRequest,
    BackpropResult,
    BatchChoice,
    Boundary,
    Catalog,
    Conflict,
    DataView,
    ExplainResult,
    ForwardRequest,
    ForwardResult,
    GradcheckResult,
    Health,
    Message,
    NetworkCreate,
    NetworkExport,
    NetworkImport,
    NetworkPatch,
    NetworkPublic,
    StepRequest,
    StepResult,
)
from app.settings import Limits
from app.store import Change, NotFoundError
from app.version import VERSION

router = APIRouter(prefix="/api/v1", route_class=JSONRoute)


class NetworkIdConvertor(Convertor[str]):
    """A network id in a path: any segment but `import`, so /networks/import is only that
    route (PATCH on it is a 405, not a malformed id); the id's form is checked by NetworkId."""

    regex = "(?!import$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("network_id", NetworkIdConvertor())
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


@router.get("/health", response_model=Health, tags=["meta"])
async def health(store: StoreDep) -> JSONResponse:
    """Liveness: the server answers and which store it uses."""
    return JSONResponse({"status": "ok", "version": VERSION, "store": store.kind})


@router.get("/datasets", response_model=Catalog, tags=["meta"])
def datasets(settings: SettingsDep) -> JSONResponse:
    """The dataset generators with their parameters, and every accepted name."""
    return JSONResponse(views.catalog(settings.limits))


@router.post("/backprop", response_model=BackpropResult, tags=["stateless"], responses=_413)
async def backprop(
    body: BackpropRequest, settings: SettingsDep, executor: ExecutorDep
) -> JSONResponse:
    """One forward and backward pass on the weights given; nothing is stored."""
    work = cost.backprop_cost(body.layers, len(body.x))
    return JSONResponse(
        await executor.compute(work, ("x",), views.backprop_view, body, settings.limits)
    )


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
    config, _ = service.build_config(body or NetworkCreate(), settings.limits)
    record = service.new_record(config)
    with creating(settings.store):  # the cap holds across workers
        service.make_room(store, settings.limits)
        store.create(record)
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
    record, history = service.import_record(doc, settings.limits)
    with creating(settings.store):
        service.make_room(store, settings.limits)
        store.create(record, history)
    return _created(record, history, settings)


def _created(record: Any, history: list[dict[str, Any]], settings: Any) -> JSONResponse:
    return JSONResponse(
        views.public(record, history, settings.limits),
        status_code=201,
        headers={"Location": f"/api/v1/networks/{record.id}"},
    )


WithHistory = Annotated[
    bool, Query(description="false leaves `history` empty (it may hold 20,000 entries).")
]


@router.get(NETWORK, response_model=NetworkPublic, tags=["networks"], responses=_404)
def get_network(
    network_id: NetworkId, store: StoreDep, settings: SettingsDep, history: WithHistory = True
) -> JSONResponse:
    """The network's config, parameters, step count, history and current metrics."""
    record = store.get(network_id)
    entries = store.history(network_id) if history else []
    return JSONResponse(views.public(record, entries, settings.limits))


@router.get(NETWORK + "/data", response_model=DataView, tags=["networks"], responses=_404)
def get_data(network_id: NetworkId, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """The network's dataset: points, targets and the train/test split."""
    return JSONResponse(views.data_view(store.get(network_id), settings.limits))


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
    store.update(network_id, lambda r: service.apply_patch(r, patch, settings.limits))
    return get_network(network_id, store, settings, history)


@router.post(
    NETWORK + "/step",
    response_model=StepResult,
    tags=["training"],
    responses={**_404, **_409, **_413},
)
async def step(
    network_id: NetworkId,
    executor: ExecutorDep,
    settings: SettingsDep,
    body: Annotated[StepRequest | None, Body()] = None,
) -> JSONResponse:
    """Run `steps` updates (one sample, a batch, or the next shuffled batch); the last trace."""
    req = body or StepRequest()
    steps = req.steps if req.apply else 1

    def work(record: NetworkRecord) -> tuple[float, tuple[str, ...]]:
        return cost.network_step_cost(record.config, steps, req.sample, req.batch), ("steps",)

    out = await executor.change(network_id, work, service.run_steps, req, settings.limits)
    if out.get("diverged"):
        raise service.DivergedError(out["diverged"])
    return JSONResponse(out)


@router.post(
    NETWORK + "/forward",
    response_model=ForwardResult,
    tags=["training"],
    responses={**_404, **_409, **_413},
)
async def forward(
    network_id: NetworkId,
    body: ForwardRequest,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
) -> JSONResponse:
    """The forward trace of the inputs `x` (rows of features)."""
    record = store.get(network_id)
    work = cost.forward_cost(record.config["layers"], len(body.x))
    out = await executor.compute(work, ("x",), views.forward_view, record, body.x, settings.limits)
    return JSONResponse(out)


@router.get(
    NETWORK + "/explain",
    response_model=ExplainResult,
    tags=["insight"],
    responses={**_404, **_409},
)
async def explain(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
    layer: Annotated[int, Query(ge=0, description="Weight layer (0-based).")],
    i: Annotated[int, Query(ge=0, description="Neuron in layer − 1 (row of W).")],
    j: Annotated[int, Query(ge=0, description="Neuron in the layer (column of W).")],
    sample: Annotated[int | None, Query(ge=0, description="One training index.")] = None,
    of: Annotated[Literal["last", "next"] | None, Query(description="Last step or next.")] = None,
) -> JSONResponse:
    """The chain-rule decomposition of ∂L/∂W(layer)[i, j] with every factor's value."""
    record = store.get(network_id)
    work = cost.backprop_cost(record.config["layers"], cost.batch_rows(record.config, sample))
    out = await executor.compute(
        work, ("layer",), views.explain_view, record, layer, i, j, sample, of, settings.limits
    )
    return JSONResponse(out)


@router.post(
    NETWORK + "/gradcheck",
    response_model=GradcheckResult,
    tags=["insight"],
    responses={**_404, **_409, **_413},
)
async def gradcheck(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
    body: Annotated[BatchChoice | None, Body()] = None,
) -> JSONResponse:
    """Central finite differences against backprop for every parameter."""
    choice = body or BatchChoice()
    record = store.get(network_id)
    sizes = record.config["layers"]
    rows = cost.batch_rows(record.config, choice.sample, choice.batch)
    work = cost.gradcheck_cost(sizes, rows, cost.n_params(sizes))
    out = await executor.compute(
        work, ("batch",), views.gradcheck_view, record, choice.sample, choice.batch, settings.limits
    )
    return JSONResponse(out)


@router.get(
    NETWORK + "/boundary",
    response_model=Boundary,
    tags=["insight"],
    responses={**_404, **_409},
)
async def boundary(
    network_id: NetworkId,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
    resolution: Annotated[
        int, Query(ge=2, le=Limits().max_resolution, description="Cells per side.")
    ] = 40,
    neurons: Annotated[
        bool, Query(description="false leaves out the hidden neurons' grids (output only).")
    ] = True,
) -> JSONResponse:
    """The output and every hidden neuron over a grid of the input plane (base64 uint8)."""
    views.check_resolution(resolution, settings.limits)
    record = store.get(network_id)
    work = cost.boundary_cost(record.config["layers"], resolution, neurons=neurons)
    out = await executor.compute(
        work, ("resolution",), views.boundary_view, record, resolution, settings.limits, neurons
    )
    return JSONResponse(out)


@router.post(NETWORK + "/reset", response_model=NetworkPublic, tags=["networks"], responses=_404)
def reset(network_id: NetworkId, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Back to the initial weights (same seed), step 0, empty history."""
    store.update(
        network_id,
        lambda r: Change(result=None, record=service.reset_record(r), clear_history=True),
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
    doc = service.export_doc(record, store.history(network_id))
    return JSONResponse(
        doc,
        headers={"Content-Disposition": f'attachment; filename="network-{network_id[:8]}.json"'},
    )
