"""Types shared by requests and responses: core's names, numbers, strict models, history."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    FiniteFloat,
)

import core
from app.guard.validation import FailFastModel
from app.settings import Limits

_L = Limits()  # the schema documents the default limits; the service enforces the configured ones

# The names are core's (one definition); these aliases keep the schema's own vocabulary short.
ActivationName = core.Activation
LossName = core.Loss
InitName = core.Init
DatasetName = core.DatasetKind
FeatureName = core.Feature
OptimizerName = core.OptimizerName
Task = core.Task
_SGD = core.OPTIMIZER_DEFAULTS["sgd"]
_ADAM = core.OPTIMIZER_DEFAULTS["adam"]
_DATA = core.DATASET_DEFAULTS


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


LossValue = Annotated[FiniteFloat, Field(ge=0.0)]
Accuracy = Annotated[FiniteFloat, Field(ge=0.0, le=1.0)]


class HistoryEntry(Strict):
    """The network after update number `step` (also the form an import must give)."""

    step: Annotated[int, Field(ge=1, le=2**53 - 1), _Integral]
    loss: LossValue
    train_loss: LossValue
    train_accuracy: Accuracy | None
    test_loss: LossValue | None
    test_accuracy: Accuracy | None
    grad_norms: list[Annotated[FiniteFloat, Field(ge=0.0)]]
