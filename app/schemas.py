"""Pydantic schemas of the HTTP API, named by role (…Create, …Public, …Result)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

from app.settings import Limits

_L = Limits()  # the schema documents the default limits; the service enforces the configured ones

ActivationName = Literal["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]
LossName = Literal["cross_entropy", "mse"]
InitName = Literal["xavier", "he", "uniform", "zeros"]
DatasetName = Literal["circle", "xor", "gauss", "moons", "spiral", "blobs", "sine", "plane"]
FeatureName = Literal["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
Seed = Annotated[int, Field(ge=0, le=2**32 - 1, description="Random seed (0..2³²−1).")]
Matrix = list[list[FiniteFloat]]
Vector = list[FiniteFloat]


class Strict(BaseModel):
    """Unknown fields are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class DatasetGenerator(Strict):
    """A generated 2-D (or 1-D for `sine`) dataset, as in TensorFlow Playground."""

    kind: DatasetName = Field("circle", description="Which generator.")
    n: int = Field(200, ge=4, le=_L.max_samples, description="Number of samples.")
    noise: float = Field(0.1, ge=0.0, le=1.0, description="Jitter, 0 (clean) to 1.")
    classes: int = Field(2, ge=2, le=8, description="Classes (spiral and blobs: 2..8).")
    test_fraction: float = Field(0.2, ge=0.0, le=0.9, description="Share held out as test.")
    seed: Seed = 0
    features: list[FeatureName] | None = Field(
        None, min_length=1, max_length=7, description="Input features (default x1, x2)."
    )


class DatasetPoints(Strict):
    """Explicit samples: points (n, d) and targets (class indices, or values for regression)."""

    kind: Literal["points"]
    points: Matrix = Field(min_length=4, max_length=_L.max_samples)
    y: list[int] | list[FiniteFloat] | Matrix
    task: Literal["classification", "regression"] = "classification"
    classes: int | None = Field(None, ge=2, le=_L.max_width)
    test_fraction: float = Field(0.2, ge=0.0, le=0.9)
    seed: Seed = 0
    features: list[FeatureName] | None = Field(None, min_length=1, max_length=7)


DatasetConfig = Annotated[DatasetGenerator | DatasetPoints, Field(discriminator="kind")]


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


OptimizerConfig = Annotated[SGDConfig | AdamConfig, Field(discriminator="name")]

LayerSizes = Annotated[
    list[Annotated[int, Field(ge=1, le=_L.max_width)]],
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
    batch_size: int = Field(10, ge=1, le=_L.max_batch, description="Samples per step.")
    l2: float = Field(0.0, ge=0.0, le=10.0, description="L2 penalty λ: adds (λ/2)Σ‖W‖².")


class NetworkConfig(BaseModel):
    """A network's configuration with every default filled in."""

    layers: list[int]
    activations: list[ActivationName]
    loss: LossName
    init: InitName
    seed: int
    dtype: Literal["float64", "float32"]
    dataset: dict[str, Any]
    optimizer: dict[str, Any]
    batch_size: int
    l2: float


class ParamSet(Strict):
    """Set one weight W(layer)[i, j] or bias b(layer)[i] by hand."""

    layer: int = Field(ge=0, le=_L.max_layers - 1)
    kind: Literal["W", "b"]
    i: int = Field(ge=0, le=_L.max_width - 1)
    j: int | None = Field(None, ge=0, le=_L.max_width - 1, description="Weights only.")
    value: FiniteFloat = Field(ge=-1e6, le=1e6)


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
    batch_size: int | None = Field(None, ge=1, le=_L.max_batch)
    l2: float | None = Field(None, ge=0.0, le=10.0)
    set: ParamSet | None = None


class StepRequest(Strict):
    """How many updates, on which samples, and whether to apply them."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"steps": 1}, {"sample": 3}]}
    )

    steps: int = Field(1, ge=1, le=_L.max_steps, description="Updates to run.")
    sample: int | None = Field(None, ge=0, description="One training index: a single-sample step.")
    batch: list[Annotated[int, Field(ge=0)]] | None = Field(
        None, min_length=1, max_length=_L.max_batch, description="Explicit training indices."
    )
    apply: bool = Field(True, description="False: compute the step without changing anything.")


class BatchChoice(Strict):
    """Optional batch for a gradient check: one sample or explicit training indices."""

    sample: int | None = Field(None, ge=0)
    batch: list[Annotated[int, Field(ge=0)]] | None = Field(
        None, min_length=1, max_length=_L.max_batch
    )


class ForwardRequest(Strict):
    """Inputs (rows of features) to run through the network."""

    x: Matrix = Field(min_length=1, max_length=_L.max_batch)


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
    weights: list[Matrix] = Field(min_length=1, max_length=_L.max_layers)
    biases: list[Vector] = Field(min_length=1, max_length=_L.max_layers)
    x: Matrix = Field(min_length=1, max_length=_L.max_batch)
    y: list[int] | Matrix = Field(min_length=1, max_length=_L.max_batch)
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


class HistoryEntry(BaseModel):
    """The network after update number `step`."""

    step: int
    loss: float
    train_loss: float
    train_accuracy: float | None
    test_loss: float | None
    test_accuracy: float | None
    grad_norms: list[float]


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
    metrics: dict[str, float | None]
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
