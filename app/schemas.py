"""Pydantic schemas of the HTTP API, named by role (…Create, …Public, …Result)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    FiniteFloat,
    Tag,
    model_validator,
)
from pydantic.config import JsonDict

from app.guard.validation import FailFastModel
from app.settings import Limits

_L = Limits()  # the schema documents the default limits; the service enforces the configured ones

ActivationName = Literal["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]
LossName = Literal["cross_entropy", "mse"]
InitName = Literal["xavier", "he", "uniform", "zeros"]
DatasetName = Literal["circle", "xor", "gauss", "moons", "spiral", "blobs", "sine", "plane"]
FeatureName = Literal["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]


def _integral(value: Any) -> Any:
    # JSON has one kind of number: 3.0 is the integer 3 (as in JSON Schema); 3.5, "3" and
    # true are not integers.
    return int(value) if isinstance(value, float) and value.is_integer() else value


# An integer in a request. Bounds go inside, before the validator, so that the OpenAPI schema
# states them (pydantic cannot move bounds given after it into the schema).
_Integral = BeforeValidator(_integral)
Int = Annotated[int, _Integral]
Index = Annotated[int, Field(ge=0), _Integral]
ClassIndex = Annotated[int, Field(ge=0, le=_L.max_width - 1), _Integral]  # < classes ≤ width
Count = Annotated[int, Field(ge=0, le=2**53 - 1), _Integral]  # exact in every JSON reader
Seed = Annotated[int, Field(ge=0, le=2**32 - 1, description="Random seed (0..2³²−1)."), _Integral]
# A number a request gives in its data, weights or inputs: finite and at most 10⁶ in size, so
# no forward or backward pass within the limits can overflow float64 (the largest product
# stays far below 1e308).
Value = Annotated[FiniteFloat, Field(ge=-1e6, le=1e6)]
ValueVector = Annotated[list[Value], Field(min_length=1)]  # every layer has a neuron
ValueMatrix = list[ValueVector]
# A number in a response: always finite (the server never sends NaN or infinity), any size.
Matrix = list[list[FiniteFloat]]
Vector = list[FiniteFloat]
# A parameter array in an export: W (n_in, n_out) or b (n_out,).
ParamArray = Matrix | Vector


class Strict(FailFastModel):
    """Unknown fields are errors, so a typo never passes silently; no type coercion either
    ("1" is not a number, true is not 1), so the API accepts exactly what its schema says.
    Lists stop at their first bad item (FailFastModel), so no body yields millions of errors."""

    model_config = ConfigDict(extra="forbid", strict=True)


class DatasetGenerator(Strict):
    """A generated 2-D (or 1-D for `sine`) dataset, as in TensorFlow Playground."""

    kind: DatasetName = Field("circle", description="Which generator.")
    n: Int = Field(200, ge=4, le=_L.max_samples, description="Number of samples.")
    noise: float = Field(0.1, ge=0.0, le=1.0, description="Jitter, 0 (clean) to 1.")
    classes: Int = Field(2, ge=2, le=8, description="Classes (spiral and blobs: 2..8).")
    test_fraction: float = Field(0.2, ge=0.0, le=0.9, description="Share held out as test.")
    seed: Seed = 0
    features: list[FeatureName] | None = Field(
        None, min_length=1, max_length=7, description="Input features (default x1, x2)."
    )


class DatasetPoints(Strict):
    """Explicit samples: points (n, d) and targets (class indices, or values for regression)."""

    kind: Literal["points"]
    points: ValueMatrix = Field(min_length=4, max_length=_L.max_samples)
    y: (
        Annotated[list[ClassIndex], Field(min_length=4, max_length=_L.max_samples)]
        | Annotated[ValueVector, Field(min_length=4, max_length=_L.max_samples)]
        | Annotated[ValueMatrix, Field(min_length=4, max_length=_L.max_samples)]
    ) = Field(description="Class indices, or regression targets (one value or one row per point).")
    task: Literal["classification", "regression"] = "classification"
    classes: Annotated[int, Field(ge=2, le=_L.max_width), _Integral] | None = None
    test_fraction: float = Field(0.2, ge=0.0, le=0.9)
    seed: Seed = 0
    features: list[FeatureName] | None = Field(None, min_length=1, max_length=7)


_GENERATORS: tuple[str, ...] = get_args(DatasetName)


def _dataset_tag(value: Any) -> str | None:
    # Without `kind` a dataset is the default generator (circle), as the schema says; what is
    # not an object goes to the generator, whose error says an object is expected.
    if not isinstance(value, dict | BaseModel):
        return "generator"
    kind = value.get("kind", "circle") if isinstance(value, dict) else getattr(value, "kind", None)
    return "points" if kind == "points" else "generator" if kind in _GENERATORS else None


DatasetConfig = Annotated[
    Annotated[DatasetGenerator, Tag("generator")] | Annotated[DatasetPoints, Tag("points")],
    Discriminator(
        _dataset_tag,
        custom_error_type="unknown_kind",
        custom_error_message=f"kind must be a generator ({', '.join(_GENERATORS)}) or points",
    ),
]


class SGDConfig(Strict):
    """Stochastic gradient descent, optionally with (Nesterov) momentum."""

    name: Literal["sgd"] = "sgd"
    learning_rate: float = Field(0.1, gt=0.0, le=1e6)
    momentum: float = Field(0.0, ge=0.0, lt=1.0)
    nesterov: bool = False


class AdamConfig(Strict):
    """Adam with bias-corrected moment estimates."""

    name: Literal["adam"]
    learning_rate: float = Field(0.01, gt=0.0, le=1e6)
    beta1: float = Field(0.9, ge=0.0, lt=1.0)
    beta2: float = Field(0.999, ge=0.0, lt=1.0)
    eps: float = Field(1e-8, gt=0.0, le=1.0)


def _optimizer_tag(value: Any) -> str | None:
    # Without `name` an optimizer is SGD, the default, as the schema says.
    if not isinstance(value, dict | BaseModel):
        return "sgd"
    name = value.get("name", "sgd") if isinstance(value, dict) else getattr(value, "name", None)
    return name if name in ("sgd", "adam") else None


OptimizerConfig = Annotated[
    Annotated[SGDConfig, Tag("sgd")] | Annotated[AdamConfig, Tag("adam")],
    Discriminator(
        _optimizer_tag,
        custom_error_type="unknown_name",
        custom_error_message="name must be sgd or adam",
    ),
]

LayerSizes = Annotated[
    list[Annotated[int, Field(ge=1, le=_L.max_width), _Integral]],
    Field(min_length=2, max_length=_L.max_layers + 1),
]


class NetworkCreate(Strict):
    """A network to build. Every field is optional; omitted ones get sensible defaults."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "layers": [2, 8, 8, 2],
                    "activations": ["tanh", "tanh", "softmax"],
                    "loss": "cross_entropy",
                    "dataset": {"kind": "circle", "n": 200, "noise": 0.1},
                    "optimizer": {"name": "sgd", "learning_rate": 0.1},
                    "batch_size": 10,
                }
            ]
        },
    )

    layers: LayerSizes | None = Field(
        None, description="Neurons per layer, input first, e.g. [2, 4, 4, 2]."
    )
    activations: list[ActivationName] | None = Field(
        None, description="One per weight layer; softmax only last."
    )
    loss: LossName | None = Field(None, description="Default: cross_entropy for classification.")
    init: InitName = "xavier"
    seed: Seed = 0
    dtype: Literal["float64", "float32"] = "float64"
    dataset: DatasetConfig = Field(default_factory=DatasetGenerator)
    optimizer: OptimizerConfig = Field(default_factory=SGDConfig)
    batch_size: Int = Field(10, ge=1, le=_L.max_batch, description="Samples per step.")
    l2: float = Field(0.0, ge=0.0, le=10.0, description="L2 penalty λ: adds (λ/2)Σ‖W‖².")


class NetworkConfig(BaseModel):
    """A network's configuration with every default filled in."""

    layers: list[int]
    activations: list[ActivationName]
    loss: LossName
    init: InitName
    seed: int
    dtype: Literal["float64", "float32"]
    dataset: DatasetConfig
    optimizer: OptimizerConfig
    batch_size: int
    l2: float


class ParamSet(Strict):
    """Set one weight W(layer)[i, j] or bias b(layer)[i] by hand."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        # What the validator below checks, for the OpenAPI schema: W needs j, b takes none.
        json_schema_extra={
            "anyOf": [
                {
                    "properties": {"kind": {"const": "W"}, "j": {"type": "integer"}},
                    "required": ["j"],
                },
                {"properties": {"kind": {"const": "b"}, "j": {"type": "null"}}},
            ]
        },
    )

    layer: Int = Field(ge=0, le=_L.max_layers - 1)
    kind: Literal["W", "b"]
    i: Int = Field(ge=0, le=_L.max_width - 1)
    j: Annotated[int, Field(ge=0, le=_L.max_width - 1), _Integral] | None = Field(
        None, description="Weights only."
    )
    value: Value

    @model_validator(mode="after")
    def _indices_fit_kind(self) -> Self:
        if self.kind == "W" and self.j is None:
            raise ValueError("setting a weight needs both i and j")
        if self.kind == "b" and self.j is not None:
            raise ValueError("a bias has one index: give i only")
        return self


class NetworkPatch(Strict):
    """Hyper-parameters to change without a reset, or one parameter to set."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"learning_rate": 0.03, "batch_size": 20}]}
    )

    optimizer: Literal["sgd", "adam"] | None = None
    learning_rate: float | None = Field(None, gt=0.0, le=1e6)
    momentum: float | None = Field(None, ge=0.0, lt=1.0)
    nesterov: bool | None = None
    beta1: float | None = Field(None, ge=0.0, lt=1.0)
    beta2: float | None = Field(None, ge=0.0, lt=1.0)
    eps: float | None = Field(None, gt=0.0, le=1.0)
    batch_size: Annotated[int, Field(ge=1, le=_L.max_batch), _Integral] | None = None
    l2: float | None = Field(None, ge=0.0, le=10.0)
    set: ParamSet | None = None


# `sample` and `batch` exclude each other: the validator says so, and this the OpenAPI schema.
_NOT_SAMPLE_AND_BATCH: JsonDict = {
    "not": {
        "properties": {"sample": {"type": "integer"}, "batch": {"type": "array"}},
        "required": ["sample", "batch"],
    }
}


class BatchChoice(Strict):
    """Optional batch for a gradient check: one sample or explicit training indices."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{}, {"sample": 3}], **_NOT_SAMPLE_AND_BATCH},
    )

    sample: Index | None = Field(None, description="One training index: a single-sample step.")
    batch: list[Index] | None = Field(
        None, min_length=1, max_length=_L.max_batch, description="Explicit training indices."
    )

    @model_validator(mode="after")
    def _one_choice(self) -> Self:
        if self.sample is not None and self.batch is not None:
            raise ValueError("give either sample or batch, not both")
        return self


class StepRequest(BatchChoice):
    """How many updates, on which samples, and whether to apply them."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"steps": 1}, {"sample": 3}], **_NOT_SAMPLE_AND_BATCH},
    )

    steps: Int = Field(1, ge=1, le=_L.max_steps, description="Updates to run.")
    apply: bool = Field(True, description="False: compute the step without changing anything.")


class ForwardRequest(Strict):
    """Inputs (rows of features) to run through the network."""

    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [{"x": [[1.0, -2.0]]}]}
    )

    x: ValueMatrix = Field(min_length=1, max_length=_L.max_batch)


class BackpropRequest(Strict):
    """A complete network and a batch: one forward and backward pass, nothing stored."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "layers": [2, 3, 2],
                    "activations": ["sigmoid", "softmax"],
                    "loss": "cross_entropy",
                    "weights": [
                        [[0.2, -0.4, 0.1], [0.7, 0.3, -0.5]],
                        [[0.6, -0.1], [-0.3, 0.8], [0.25, 0.4]],
                    ],
                    "biases": [[0.1, -0.2, 0.05], [0.0, 0.1]],
                    "x": [[1.5, -0.5]],
                    "y": [1],
                }
            ]
        },
    )

    layers: LayerSizes
    activations: list[ActivationName] = Field(min_length=1, max_length=_L.max_layers)
    loss: LossName = "cross_entropy"
    weights: list[ValueMatrix] = Field(min_length=1, max_length=_L.max_layers)
    biases: list[ValueVector] = Field(min_length=1, max_length=_L.max_layers)
    x: ValueMatrix = Field(min_length=1, max_length=_L.max_batch)
    y: (
        Annotated[list[ClassIndex], Field(min_length=1, max_length=_L.max_batch)]
        | Annotated[ValueMatrix, Field(min_length=1, max_length=_L.max_batch)]
    ) = Field(description="Class indices (cross_entropy) or one target row per sample (mse).")
    l2: float = Field(0.0, ge=0.0, le=10.0)


# ---- responses (documented shapes; the routes encode NumPy arrays directly with orjson)


class LayerValues(BaseModel):
    """One weight layer's forward values and gradients."""

    z: Matrix
    h: Matrix
    dz: Matrix
    dh: Matrix
    dW: Matrix
    db: Vector


class Update(BaseModel):
    """The change applied to a layer's parameters: new = old + update."""

    dW: Matrix
    db: Vector


class StepLayer(LayerValues):
    """A layer of a step trace, with its update."""

    update: Update


class BackpropResult(BaseModel):
    """Loss, outputs and every layer's values and gradients."""

    loss: float
    data_loss: float
    output: Matrix
    probs: Matrix | None
    predictions: list[int]
    layers: list[LayerValues]
    grad_norms: list[float]


class Metrics(BaseModel):
    """Loss and accuracy on a set (accuracy null for regression; all null for an empty set)."""

    loss: float | None
    accuracy: float | None


Loss = Annotated[FiniteFloat, Field(ge=0.0)]
Accuracy = Annotated[FiniteFloat, Field(ge=0.0, le=1.0)]


class HistoryEntry(Strict):
    """The network after update number `step` (also the form an import must give)."""

    step: Annotated[int, Field(ge=1, le=2**53 - 1), _Integral]
    loss: Loss
    train_loss: Loss
    train_accuracy: Accuracy | None
    test_loss: Loss | None
    test_accuracy: Accuracy | None
    grad_norms: list[Annotated[FiniteFloat, Field(ge=0.0)]]


class NetworkMetrics(BaseModel):
    """The current loss and accuracy on the training and test sets (null: not applicable,
    or the network diverged)."""

    train_loss: float | None
    train_accuracy: float | None
    test_loss: float | None
    test_accuracy: float | None


class CollapseCard(BaseModel):
    """The single layer equal to a network whose hidden activations are all linear."""

    W: Matrix
    b: Vector
    activation: ActivationName


class NetworkPublic(BaseModel):
    """A stored network's state."""

    id: str
    config: NetworkConfig
    weights: list[Matrix]
    biases: list[Vector]
    step: int
    diverged: bool
    message: str | None
    history: list[HistoryEntry]
    metrics: NetworkMetrics
    linear_collapse: CollapseCard | None
    n_params: int


class StepResult(BaseModel):
    """The trace of the (last) step: values before the update, parameters after it."""

    step: int
    applied: bool
    batch: list[int]
    x: Matrix
    y: list[int] | Matrix
    layers: list[StepLayer]
    output: Matrix
    probs: Matrix | None
    predictions: list[int]
    loss_before: float
    loss_after: float | None
    grad_norms: list[float]
    train: Metrics
    test: Metrics
    weights: list[Matrix]
    biases: list[Vector]
    history: list[HistoryEntry]
    diverged: bool
    message: str | None


class ForwardLayer(BaseModel):
    """One layer's forward values."""

    z: Matrix
    h: Matrix


class ForwardResult(BaseModel):
    """A forward pass."""

    layers: list[ForwardLayer]
    output: Matrix
    probs: Matrix | None
    predictions: list[int]


class BackpropTermOut(BaseModel):
    """W(l+1)[j,k] · dZ(l+1)[s,k]."""

    k: int
    w: float
    dz_next: float
    product: float


class SampleTermOut(BaseModel):
    """One sample's share H(l−1)[s,i] · dZ(l)[s,j] and how dZ(l)[s,j] arose."""

    sample: int
    h_in: float
    z: float
    dz: float
    sigma_prime: float | None
    dh: float | None
    backprop: list[BackpropTermOut] | None
    product: float


class SeedTermOut(BaseModel):
    """∂L/∂o_l · W2_jl · σ'(z_j) · x_i."""

    sample: int
    l: int
    dL_do: float
    w2: float
    sigma_prime: float
    x_i: float
    product: float


class ExplainResult(BaseModel):
    """The chain-rule decomposition of ∂L/∂W(layer)[i, j]."""

    layer: int
    i: int
    j: int
    of: Literal["last", "next"]
    step: int
    batch: list[int]
    activation: ActivationName
    is_output: bool
    samples: list[SampleTermOut]
    data_gradient: float
    l2_term: float
    total: float
    dW: float
    seed_form: list[SeedTermOut] | None
    seed_total: float | None


class ParamCheckOut(BaseModel):
    """One parameter's analytic and numeric gradient."""

    layer: int
    kind: Literal["W", "b"]
    index: list[int]
    analytic: float
    numeric: float
    rel_error: float


class GradcheckResult(BaseModel):
    """Finite differences against backprop, for every parameter."""

    max_rel_error: float
    worst: ParamCheckOut
    params: list[ParamCheckOut]
    eps: float
    batch: list[int]


class Health(BaseModel):
    """Liveness."""

    status: Literal["ok"]
    version: str
    store: str


class DatasetParameters(BaseModel):
    """[lowest, highest] of a generator's numeric parameters."""

    n: list[int]
    noise: list[float]
    test_fraction: list[float]


class DatasetInfo(BaseModel):
    """One dataset generator."""

    name: DatasetName
    task: Literal["classification", "regression"]
    input_dim: int
    classes: list[int] | None = Field(description="[fewest, most] classes; null for regression.")
    description: str
    parameters: DatasetParameters


class Catalog(BaseModel):
    """The dataset generators and every name the API accepts."""

    datasets: list[DatasetInfo]
    features: list[FeatureName]
    activations: list[ActivationName]
    losses: list[LossName]
    inits: list[InitName]
    optimizers: list[Literal["sgd", "adam"]]


class DataView(BaseModel):
    """A network's dataset: every point, its target, and the train/test split."""

    kind: DatasetName | Literal["points"]
    task: Literal["classification", "regression"]
    classes: int
    features: list[str]
    points: Matrix
    y: list[int] | Matrix
    train_index: list[int]
    test_index: list[int]
    x_train: Matrix
    x_test: Matrix


class GridValues(BaseModel):
    """A grid of values as base64 uint8 cells, scaled between `min` (0) and `max` (255)."""

    value: str
    min: float
    max: float


class GridClasses(BaseModel):
    """A grid of predicted classes and their confidence (255 = probability 1), base64 uint8."""

    class_: str = Field(alias="class")
    confidence: str


class BoundaryGrid(BaseModel):
    """The network over a grid of the 2-D input plane, row-major from the top-left."""

    kind: Literal["grid"]
    resolution: int
    x_range: list[float] = Field(min_length=2, max_length=2)
    y_range: list[float] = Field(min_length=2, max_length=2)
    task: Literal["classification", "regression"]
    classes: int
    output: GridClasses | GridValues
    neurons: list[list[GridValues]]


class BoundaryCurve(BaseModel):
    """The network's output along the input line (1-D data)."""

    kind: Literal["curve"]
    resolution: int
    x: Vector
    y: Vector


Boundary = Annotated[BoundaryGrid | BoundaryCurve, Field(discriminator="kind")]


class OptimizerStateOut(BaseModel):
    """The optimizer's update count and buffers (each like `params`)."""

    t: int
    buffers: dict[str, list[ParamArray]]


class NetworkExport(BaseModel):
    """Everything needed to recreate a network elsewhere."""

    format: Literal["backprop-lens/network"]
    version: Literal[1]
    config: NetworkConfig
    params: list[ParamArray] = Field(description="[W0, b0, W1, b1, ...]")
    optimizer_state: OptimizerStateOut
    step: int
    history: list[HistoryEntry]


class OptimizerStateIn(Strict):
    """An export's optimizer state."""

    t: Count = 0
    buffers: dict[str, list[ParamArray]] = Field(default_factory=dict)


class NetworkImport(Strict):
    """A document made by `GET …/export`. `config` takes the fields of a network to create."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "format": "backprop-lens/network",
                    "version": 1,
                    "config": {
                        "layers": [2, 2],
                        "activations": ["softmax"],
                        "dataset": {"kind": "xor"},
                    },
                    "params": [[[0.5, -0.5], [-0.5, 0.5]], [0.0, 0.0]],
                }
            ]
        },
    )

    format: Literal["backprop-lens/network"]
    version: Literal[1]
    config: dict[str, Any]
    params: list[ParamArray] = Field(description="[W0, b0, W1, b1, ...] for the config's layers.")
    optimizer_state: OptimizerStateIn = Field(default_factory=OptimizerStateIn)
    step: Count = 0
    history: list[HistoryEntry] = Field(default_factory=list)


class ErrorItem(BaseModel):
    """What is wrong with one field, and what is allowed."""

    loc: list[str | int]
    msg: str
    type: str


class Message(BaseModel):
    """An error: what went wrong."""

    detail: str


class Conflict(BaseModel):
    """The request is well-formed but does not fit the network as it is now: which field and
    why (a list, like a 422's), or, when the network diverged, the message saying so."""

    detail: str | list[ErrorItem]
