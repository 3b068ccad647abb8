"""Request bodies: a network to create, patch, step, run forward, check; a stateless pass;
an import."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)
from pydantic.config import JsonDict

import core
from app.schemas.types import (
    _ADAM,
    _DATA,
    _L,
    _SGD,
    ActivationName,
    ClassIndex,
    Count,
    DatasetName,
    FeatureName,
    HistoryEntry,
    Index,
    InitName,
    Int,
    LossName,
    OptimizerName,
    ParamArray,
    Seed,
    Strict,
    Value,
    ValueMatrix,
    ValueVector,
    _Integral,
)


class DatasetGenerator(Strict):
    """A generated 2-D (or 1-D for `sine`) dataset, as in TensorFlow Playground."""

    kind: DatasetName = Field("circle", description="Which generator.")
    n: Int = Field(int(_DATA["n"]), ge=4, le=_L.max_samples, description="Number of samples.")
    noise: float = Field(_DATA["noise"], ge=0.0, le=1.0, description="Jitter, 0 (clean) to 1.")
    classes: Int = Field(
        int(_DATA["classes"]), ge=2, le=8, description="Classes (spiral and blobs: 2..8)."
    )
    test_fraction: float = Field(
        _DATA["test_fraction"], ge=0.0, le=0.9, description="Share held out as test."
    )
    seed: Seed = int(_DATA["seed"])
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
    learning_rate: float = Field(_SGD["learning_rate"], gt=0.0, le=1e6)
    momentum: float = Field(_SGD["momentum"], ge=0.0, lt=1.0)
    nesterov: bool = False


class AdamConfig(Strict):
    """Adam with bias-corrected moment estimates."""

    name: Literal["adam"]
    learning_rate: float = Field(_ADAM["learning_rate"], gt=0.0, le=1e6)
    beta1: float = Field(_ADAM["beta1"], ge=0.0, lt=1.0)
    beta2: float = Field(_ADAM["beta2"], ge=0.0, lt=1.0)
    eps: float = Field(_ADAM["eps"], gt=0.0, le=1.0)


def _optimizer_tag(value: Any) -> str | None:
    # Without `name` an optimizer is SGD, the default, as the schema says.
    if not isinstance(value, dict | BaseModel):
        return "sgd"
    name = value.get("name", "sgd") if isinstance(value, dict) else getattr(value, "name", None)
    return name if name in core.OPTIMIZERS else None


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


_RESIDUAL = (
    "Skip connections: every hidden layer whose input and output widths are equal computes "
    "H(l) = H(l−1) + σ(Z(l)); the output layer never skips."
)


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
    residual: bool = Field(False, description=_RESIDUAL)


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
    residual: bool = Field(False, description=_RESIDUAL)


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

    optimizer: OptimizerName | None = None
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
    residual: bool = Field(False, description=_RESIDUAL)


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
