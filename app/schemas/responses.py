"""Response bodies: what each operation returns (NumPy arrays are encoded straight by orjson;
the models document and validate the shapes)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    Field,
)

from app.schemas.requests import NetworkConfig
from app.schemas.types import (
    ActivationName,
    DatasetName,
    FeatureName,
    HistoryEntry,
    InitName,
    LossName,
    Matrix,
    OptimizerName,
    ParamArray,
    Task,
    Vector,
)
from app.settings import Limits


class LayerValues(BaseModel):
    """One weight layer's forward values and gradients."""

    z: Matrix
    h: Matrix
    dz: Matrix
    dh: Matrix
    dW: Matrix
    db: Vector
    skip: bool = Field(
        False, description="A skip layer (residual): H(l) = H(l−1) + σ(Z(l)), so h ≠ σ(z)."
    )
    skip_dh: Matrix | None = Field(
        None,
        description="On a skip layer, the gradient its skip edge carries straight back: "
        "∂L/∂H(l), added to ∂L/∂H(l−1) (n, n_out); null on other layers.",
    )


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
    skips: list[bool] = Field(
        default_factory=list,
        description="Per weight layer: whether it adds a skip connection (residual networks).",
    )
    skip_layers: list[bool] = Field(
        default_factory=list,
        description="Per weight layer: whether residual=true gives it a skip connection (a "
        "hidden layer whose input and output widths are equal), on or off.",
    )


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
    skip: bool = Field(False, description="A skip layer: h = H(l−1) + σ(z).")


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
    skip: float | None = Field(
        None,
        description="When layer + 1 is a skip layer: ∂L/∂H(layer+1)[s,j], which its skip edge "
        "carries straight back (dh = Σ backprop + skip).",
    )


class SeedTermOut(BaseModel):
    """∂L/∂o_l · W2_jl · σ'(z_j) · x_i."""

    sample: int
    l: int
    dL_do: float
    w2: float
    sigma_prime: float
    x_i: float
    product: float


class PathFactorOut(BaseModel):
    """One factor of a path: h_in = H(l−1)[s,i], sigma_prime = σ_m′(z_k), W = W(m)[r,k],
    skip = 1 (a skip edge), dL_do = ∂L/∂o_k. A weight or skip is one `value`; the others one
    number per batch row (`samples`)."""

    kind: Literal["h_in", "sigma_prime", "W", "skip", "dL_do"]
    layer: int
    index: list[int]
    value: float | None
    samples: list[float] | None


class PathOut(BaseModel):
    """One path from neuron j of the layer to an output, and its share of the gradient."""

    neurons: list[int] = Field(description="The neuron it passes in layers l, l+1, …, L.")
    skips: list[bool] = Field(description="Per step (layers l+1 … L): along a skip edge?")
    weights: list[float] = Field(description="Per step: W(m)[r,k], or 1 on a skip edge.")
    factors: list[PathFactorOut] = Field(description="Its product per batch row is `samples`.")
    samples: list[float] = Field(description="Its value per batch row (`batch` order).")
    value: float = Field(description="Summed over the batch.")


class CountOut(BaseModel):
    """A count that may pass 2^53: `value` as a number (exact below 2^53), `exact` in digits."""

    value: float
    exact: str


class PathExpansionOut(BaseModel):
    """∂L/∂W(layer)[i,j] as the sum over every path to the outputs of the product of its local
    derivatives; `total` equals `dW`."""

    count: CountOut = Field(description="Paths from neuron j to the outputs.")
    max_paths: int = Field(description="The most paths listed (the request's or the limit).")
    paths: list[PathOut] = Field(description="The largest by |value| found, largest first.")
    rest: float = Field(description="The exact sum of every path not listed.")
    rest_count: CountOut
    data_gradient: float
    l2_term: float
    total: float
    dW: float
    multiplications: dict[str, CountOut] = Field(
        description="Products over the batch: `paths`, each path's own; `backprop`, the δ "
        "recursion's (paths grow exponentially with depth, backprop linearly)."
    )


class SoftmaxTermOut(BaseModel):
    """∂L/∂p_k · ∂p_k/∂o_l with ∂p_k/∂o_l = p_k (δ_kl − p_l)."""

    k: int
    dL_dp: float
    p_k: float
    delta: int
    dp_do: float
    product: float
    vanishes: bool


class OutputStepOut(BaseModel):
    """∂L/∂o_l = Σ_k ∂L/∂p_k ∂p_k/∂o_l through the softmax; p_minus_y: (p_l − y_l)/n."""

    l: int
    p_l: float
    terms: list[SoftmaxTermOut]
    total: float
    p_minus_y: float | None
    backprop: float


class ChainTermOut(BaseModel):
    """One (l, r, k) term ∂L/∂o_l · ∂o_l/∂h_r · ∂h_r/∂z_k · ∂z_k/∂W(1)ij; `kept` where the
    Kronecker deltas keep it (r = k = j), every other term is 0."""

    l: int
    r: int
    k: int
    dL_do: float
    do_dh: float
    dh_dz: float
    dz_dW: float
    product: float
    kept: bool


class DerivationOut(BaseModel):
    """The note's derivation of ∂L/∂W(1)ij for one sample (its training index)."""

    sample: int
    i: int
    j: int
    activation: ActivationName
    x_i: float
    z_j: float
    sigma_prime: float
    softmax: list[OutputStepOut] | None
    dL_do: list[float]
    terms: list[ChainTermOut]
    kept: list[ChainTermOut]
    total: float = Field(description="Σ kept = Σ_l ∂L/∂o_l W(2)_jl σ′(z_j) x_i.")
    backprop: float = Field(description="x_i · dZ(1)[s,j]: backprop's number for this sample.")


class NoteDerivationOut(BaseModel):
    """The note's derivation for every sample of the batch; their totals sum to the data
    gradient, and with the L2 term to dW."""

    samples: list[DerivationOut]
    data_gradient: float
    l2_term: float
    total: float
    dW: float


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
    seed_form: list[SeedTermOut] | None = Field(description="Deprecated: the same as note_form.")
    seed_total: float | None = Field(description="Deprecated: the same as note_total.")
    note_form: list[SeedTermOut] | None = Field(
        None, description="The lecture note's two-layer form Σ_l ∂L/∂o_l · W2_jl · σ'(z_j) · x_i."
    )
    note_total: float | None = Field(None, description="The sum of note_form: equals total.")
    form: Literal["backprop", "paths", "note"] = Field(
        "backprop", description="The form asked for: paths adds `paths`, note `derivation`."
    )
    paths: PathExpansionOut | None = Field(None, description="form=paths: the sum over paths.")
    derivation: NoteDerivationOut | None = Field(
        None, description="form=note: the lecture note's derivation, Kronecker deltas and all."
    )


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
    failing: list[ParamCheckOut] = Field(
        default_factory=list, description="Parameters whose relative error passes 1e-4."
    )
    kink: bool = Field(
        False, description="A ReLU or leaky-ReLU input of the batch is exactly 0 (a kink)."
    )
    message: str | None = Field(None, description="What the check found, in words.")


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
    features: list[FeatureName] | None = Field(
        None, description="The input features the API fills in when none are given."
    )


class Catalog(BaseModel):
    """The dataset generators and every name the API accepts."""

    datasets: list[DatasetInfo]
    features: list[FeatureName]
    activations: list[ActivationName]
    losses: list[LossName]
    inits: list[InitName]
    optimizers: list[OptimizerName]


class ActivationCurveOut(BaseModel):
    """σ(z) and σ′(z) of one hidden activation at `resolution` evenly spaced z, lo to hi."""

    name: ActivationName
    formula: str
    lo: float
    hi: float
    resolution: int
    z: Vector
    sigma: Vector
    sigma_prime: Vector


class ActivationNames(BaseModel):
    """Activation names by where they may go: hidden layers, and the output layer."""

    hidden: list[ActivationName]
    output: list[ActivationName]


class OptimizerInfo(BaseModel):
    """An optimizer and the default of each of its hyper-parameters."""

    name: OptimizerName
    defaults: dict[str, float]


class FeatureInfo(BaseModel):
    """An input feature and the dimension of raw points it needs (x2 needs 2-D points)."""

    name: FeatureName
    input_dim: int


class LossFit(BaseModel):
    """A loss that fits a task, and the output activations the API accepts with it."""

    name: LossName
    outputs: list[ActivationName]


class TaskInfo(BaseModel):
    """A task (classification or regression): the loss and output activation the API fills in,
    and every loss it accepts with the output activations that go with each."""

    name: Task
    loss: LossName
    output: ActivationName
    losses: list[LossFit]


class PointsInfo(BaseModel):
    """[lowest, highest] of an explicit `points` dataset's size, classes and test share."""

    n: list[int]
    classes: list[int]
    test_fraction: list[float]


class Bound(BaseModel):
    """The range a number of the network body takes; an exclusive end is not itself allowed."""

    min: float
    max: float
    min_exclusive: bool = False
    max_exclusive: bool = False


class LossInfo(BaseModel):
    """A loss: the dataset tasks it fits, the output activations it accepts (a new network
    gets `default_output`), and its formula."""

    name: LossName
    tasks: list[Task]
    outputs: list[ActivationName]
    default_output: ActivationName
    formula: str


class ApiCatalog(BaseModel):
    """Everything the page needs to offer what the API accepts: every name (core's order),
    every default (a complete network body) and every limit this server enforces."""

    activations: ActivationNames
    losses: list[LossName]
    loss_details: list[LossInfo] = Field(
        default_factory=list,
        description="Which loss fits which task (mse fits both: on classification its targets "
        "are one-hot) and which output activations it takes.",
    )
    default_losses: dict[Task, LossName] = Field(
        default_factory=dict, description="The loss a new network gets for each task."
    )
    inits: list[InitName]
    optimizers: list[OptimizerInfo]
    features: list[FeatureInfo]
    datasets: list[DatasetInfo]
    defaults: NetworkConfig
    limits: Limits
    tasks: list[TaskInfo] = Field(
        default_factory=list,
        description="Per task, the loss and output pairs the API accepts (what loss_details "
        "says, less what the output layer's size rules out: no softmax on one neuron).",
    )
    points: PointsInfo | None = None
    bounds: dict[str, Bound] = Field(
        default_factory=dict,
        description="seed, batch_size, l2, learning_rate, momentum, and `value` (a weight or "
        "bias set by hand): the ranges the API accepts.",
    )


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


class ErrorItem(BaseModel):
    """What is wrong with one field, and what is allowed."""

    loc: list[str | int]
    msg: str
    type: str = Field(description='Stable: e.g. "limit", "loss_mismatch", or pydantic\'s.')
    limit: str | None = Field(None, description="A limit's variable, e.g. BACKPROP_LENS_MAX_WIDTH.")
    bound: float | None = Field(None, description="The limit's value on this server.")
    value: float | None = Field(None, description="The request's value past it.")


class Message(BaseModel):
    """An error: what went wrong."""

    detail: str


class Conflict(BaseModel):
    """The request is well-formed but does not fit the network as it is now: which field and
    why (a list, like a 422's), or, when the network diverged, the message saying so."""

    detail: str | list[ErrorItem]
