"""The compare preset "deep vs wide" (static/js/model/compare.js) keeps its promise through the
API: on its data and seed, stepped in lockstep as the page does, the deep network with about
the same number of parameters ends with the lower test loss and the higher test accuracy."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from fastapi.testclient import TestClient

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_depth.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compare_depth", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_deep_network_beats_the_wide_one_with_the_same_budget(client: TestClient) -> None:
    script = load_script()
    deep, wide = script.params(script.DEEP_LAYERS), script.params(script.WIDE_LAYERS)
    assert (deep, wide) == (258, 262)  # the same budget within 2 %
    rows = script.run(client, seed=0, steps=600)
    assert [k for k, _, _ in rows] == [150, 300, 450, 600]
    _, a, b = rows[-1]
    assert a["step"] == b["step"] == 600
    assert a["test"]["loss"] < b["test"]["loss"] - 0.1
    assert a["test"]["accuracy"] > b["test"]["accuracy"]
