"""The page's pure modules (phases, layout, config, softmax, formatting), run in Chromium."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from tests.browser.conftest import Lens

pytestmark = pytest.mark.browser


def run(lens: Lens, module: str, body: str) -> Any:
    """Imports /static/js/{module} as `m` and returns what `body` evaluates to; `cat` is the
    API's catalog (model/catalog.js) and `D` its default network."""
    return lens.page.evaluate(
        f"""async () => {{
          const m = await import('/static/js/{module}');
          const {{Catalog}} = await import('/static/js/model/catalog.js');
          const cat = new Catalog(await (await fetch('/api/v1/catalog')).json());
          const D = cat.defaults;
          return {body};
        }}"""
    )


def test_phases_go_forward_then_loss_then_backward_from_the_last_layer(lens: Lens) -> None:
    keys = run(lens, "model/phases.js", "m.phaseList(3).map(m.phaseKey)")
    assert keys == [
        "forward-0", "forward-1", "forward-2", "loss",
        "backward-2", "backward-1", "backward-0", "update",
    ]  # fmt: skip
    walked = run(
        lens,
        "model/phases.js",
        """(() => {
          let s = m.createMachine(1);
          const seen = [m.phaseKey(m.current(s))];
          while (!m.isFinished(s)) {
            s = m.advance(s);
            seen.push(m.phaseKey(m.current(s)));
          }
          return [seen, m.phaseKey(m.current(m.advance(s)))];
        })()""",
    )
    assert walked == [["idle", "forward-0", "loss", "backward-0", "update"], "update"]


def test_layout_aggregates_layers_wider_than_sixteen(lens: Lens) -> None:
    counts = run(
        lens,
        "network/layout.js",
        """[[2, 16, 2], [2, 17, 2], [784, 17, 10], [3, 40]].map((sizes) => {
             const lay = m.layoutNetwork(sizes, 640, 480);
             return sizes.slice(1).map((_, l) => m.edgeEnds(lay, l).length); })""",
    )
    assert counts == [[32, 32], [2, 2], [1, 10], [3]]


def test_config_keeps_input_and_output_sizes_consistent(lens: Lens) -> None:
    c = run(
        lens,
        "model/config.js",
        """[m.normalizeConfig({...D, dataset: {...D.dataset,
              kind: 'spiral', classes: 5, features: ['x1', 'x2', 'x1*x2']}}, cat),
            m.normalizeConfig({...D, dataset: {...D.dataset, kind: 'sine', features: ['x2']}}, cat),
            m.changeLayerCount(D, 1, cat), m.changeLayerCount(D, -1, cat)]""",
    )
    spiral, sine, more, fewer = c
    assert spiral["layers"] == [3, 4, 4, 5]
    assert spiral["activations"][-1] == "softmax"
    assert sine["layers"] == [1, 4, 4, 1]
    assert sine["dataset"]["features"] == ["x1"]
    assert (sine["loss"], sine["activations"][-1]) == ("mse", "linear")
    assert more["layers"] == [2, 4, 4, 4, 2]
    assert fewer["activations"] == ["tanh", "softmax"]


def test_softmax_steps_subtract_the_max_and_stay_finite(lens: Lens) -> None:
    s = run(lens, "model/softmax-math.js", "m.softmaxSteps([1000, 1001, 999])")
    assert s["shifted"] == [-1, 0, -2]
    assert s["argmax"] == 1
    assert s["oneHot"] == [0, 1, 0]
    assert sum(s["probs"]) == pytest.approx(1)
    assert s["probs"][1] == pytest.approx(1 / (1 + 2.718281828459045**-1 + 2.718281828459045**-2))


def test_short_numbers_fit_a_node(lens: Lens) -> None:
    shown = run(
        lens, "draw/format.js", "[0.0003, -0.004, -1.234, 0.999, 12.34, 1234.5, 0].map(m.fmtShort)"
    )
    assert shown == ["3e−4", "−4e−3", "−1.23", "1.00", "12.3", "1230", "0.00"]


def test_series_labels_are_spread_apart_in_order(lens: Lens) -> None:
    ys = run(
        lens,
        "draw/line-chart.js",
        "m.spread([{y: 50}, {y: 52}, {y: 51}, {y: 99}], 10, 0, 100).map((l) => l.y)",
    )
    assert ys == [50, 60, 70, 99]
    squeezed = run(lens, "draw/line-chart.js", "m.spread([{y: 95}, {y: 96}], 10, 0, 100)")
    assert [l["y"] for l in squeezed] == [90, 100]


def test_tick_labels_are_distinct_and_read_their_values_on_any_range(lens: Lens) -> None:
    ranges = [
        (0.6920, 0.6936), (0.688, 0.712), (0, 1.1), (0, 2.3), (0, 0.00116), (0, 3e-4),
        (1e-5, 3e-5), (-0.002, 0.004), (1e5, 9e5), (12.0004, 12.0016), (0.69295, 0.69305),
    ]  # fmt: skip
    shown = run(
        lens,
        "draw/ticks.js",
        f"{json.dumps(ranges)}.map(([lo, hi]) => {{ const t = m.niceTicks(lo, hi, 4);"
        " return [t, m.tickLabels(t)]; })",
    )
    for (lo, hi), (ticks, labels) in zip(ranges, shown, strict=True):
        assert len(ticks) >= 3 and all(lo <= v <= hi for v in ticks), (lo, hi, ticks)
        assert len(set(labels)) == len(labels), (lo, hi, labels)  # never "0.7 0.7"
        step = min(b - a for a, b in itertools.pairwise(ticks))
        for v, text in zip(ticks, labels, strict=True):
            assert abs(float(text.replace("\u2212", "-")) - v) < step / 2, (v, text)
    by_range = dict(zip(ranges, (labels for _, labels in shown), strict=True))
    assert by_range[(0.688, 0.712)] == ["0.69", "0.70", "0.71"]
    assert by_range[(0.6920, 0.6936)] == ["0.6920", "0.6925", "0.6930", "0.6935"]
    assert by_range[(0, 1.1)] == ["0.0", "0.5", "1.0"]
    assert by_range[(0, 2.3)] == ["0", "1", "2"]
    assert by_range[(0, 3e-4)] == ["0", "1e\u22124", "2e\u22124", "3e\u22124"]
    assert by_range[(-0.002, 0.004)] == ["\u22120.002", "0.000", "0.002", "0.004"]


def test_presets_build_deep_networks_and_linear_ones(lens: Lens) -> None:
    deep, relu, linear = run(
        lens,
        "model/presets.js",
        """[m.presetConfig('deep-sigmoid', null, cat), m.presetConfig('deep-relu', null, cat),
            m.presetConfig('linear', {layers: [2, 3, 2],
                                      activations: ['tanh', 'softmax']}, cat)]""",
    )
    assert deep["layers"] == relu["layers"] == [2, 8, 8, 8, 8, 8, 8, 2]
    assert deep["activations"] == ["sigmoid"] * 6 + ["softmax"]
    assert (relu["activations"][0], relu["init"]) == ("relu", "he")
    assert linear["activations"] == ["linear", "softmax"]


def test_the_narration_names_the_largest_gradient(lens: Lens) -> None:
    best = run(lens, "i18n/narration.js", "m.largest([[0.1, -0.5], [0.3, 0.2]])")
    assert best == {"i": 0, "j": 1, "v": -0.5}


def test_fit_config_keeps_a_loss_the_new_task_takes_and_says_what_it_forces(lens: Lens) -> None:
    spiral, sine, back = run(
        lens,
        "model/config.js",
        """(() => {
          const mse = m.normalizeConfig({...D, loss: 'mse',
            activations: [...D.activations.slice(0, -1), 'sigmoid']}, cat);
          const kind = (c, k) => ({...c, dataset: {...c.dataset, kind: k}});
          return [m.fitConfig(kind(mse, 'spiral'), mse, cat),
                  m.fitConfig(kind(mse, 'sine'), mse, cat),
                  m.fitConfig({...mse, loss: 'cross_entropy'}, mse, cat)];
        })()""",
    )
    assert (spiral["config"]["loss"], spiral["config"]["activations"][-1]) == ("mse", "sigmoid")
    assert spiral["notes"] == []
    assert (sine["config"]["loss"], sine["config"]["activations"][-1]) == ("mse", "linear")
    assert [n["key"] for n in sine["notes"]] == ["notice.output", "notice.features"]
    assert back["config"]["activations"][-1] == "softmax"
    assert [n["key"] for n in back["notes"]] == ["notice.output_loss"]


def test_a_partial_link_keeps_what_it_gives_and_takes_the_catalogs_defaults(lens: Lens) -> None:
    lr_only, adam = run(
        lens,
        "model/config.js",
        """[m.fitConfig({optimizer: {learning_rate: 0.03}}, null, cat).config.optimizer,
            m.fitConfig({optimizer: {name: 'adam'}}, null, cat).config.optimizer]""",
    )
    assert (lr_only["name"], lr_only["learning_rate"]) == ("sgd", 0.03)
    catalog = lens.server.api("GET", "/catalog")
    defaults = next(o for o in catalog["optimizers"] if o["name"] == "adam")["defaults"]
    assert adam == {"name": "adam", **defaults}


def test_csv_import_refuses_what_the_api_would_refuse_naming_the_line(lens: Lens) -> None:
    bound = lens.server.api("GET", "/catalog")["bounds"]["point"]
    hi = bound["max"]
    texts = [
        f"0.1,0.2,0\n{hi * 10:g},2,0\n",  # 1e7: beyond the API's bound
        f"0.1,0.2,0\n{hi},2,0\n{-hi},1,1",  # the bound itself is fine
        "nan,1,0\n",  # not a header: a line of numbers with a bad one
        "x1,x2,label\n0,inf,1\n",
        "x,y\n0.5,1e9\n",  # a regression target is bounded too
        "0.5,0.5,9\n",  # a class beyond the drawn classes
        "x1,x2,label\n",
    ]
    read = run(
        lens,
        "model/own-points.js",
        f"{json.dumps(texts)}.map((s) => m.parseCsv(s, {{classes: 8, bound: cat.bound('point')}}))",
    )
    big, edge, nan, inf, target, label, empty = read
    assert (big["ok"], big["line"], big["problem"]) == (False, 2, "import.range")
    assert big["args"] == {"value": f"{hi * 10:g}", "min": bound["min"], "max": hi}
    assert edge["ok"] and edge["data"]["points"] == [[0.1, 0.2], [hi, 2], [-hi, 1]]
    assert (nan["line"], nan["problem"], nan["args"]) == (1, "import.not_finite", {"value": "nan"})
    assert (inf["line"], inf["problem"], inf["args"]) == (2, "import.not_finite", {"value": "inf"})
    assert (target["line"], target["problem"]) == (2, "import.range")
    assert (label["line"], label["problem"]) == (1, "import.label")
    assert (empty["ok"], empty["problem"]) == (False, "import.empty")
    said = lens.page.evaluate(
        """async () => {
          const {EN} = await import('/static/js/i18n/strings-en.js');
          const {KO} = await import('/static/js/i18n/strings-ko.js');
          return [EN['import.range'], KO['import.range'], EN['own.imported_one']];
        }"""
    )
    assert all("{min}" in s and "{max}" in s for s in said[:2])
    assert said[2] == "Added {n} point ({total} in all)."


def test_fit_whole_rounds_and_brings_a_number_within_the_catalogs_bound(lens: Lens) -> None:
    seed = lens.server.api("GET", "/catalog")["bounds"]["seed"]
    fits = run(
        lens,
        "model/config.js",
        """(() => { const n = {min: 4, max: 5000};
           return [['-1', cat.bound('seed')], ['150.5', n], ['99999', n], ['7', n], ['', n],
                   ['abc', n], ['0', {min: 0, max: 10, min_exclusive: true}],
                   ['10', {min: 0, max: 10, max_exclusive: true}]]
             .map(([text, b]) => m.fitWhole(text, b, 'editor.samples', 200)); })()""",
    )
    values = [f["value"] for f in fits]
    assert values == [seed["min"], 151, 5000, 7, 200, 200, 1, 9]
    keys = [f["note"] and f["note"]["key"] for f in fits]
    assert keys == [
        "notice.whole", "notice.whole", "notice.whole", None,
        "notice.whole_kept", "notice.whole_kept", "notice.whole", "notice.whole",
    ]  # fmt: skip
    said = {"field": "editor.samples", "min": 4, "max": 5000, "value": 5000}
    assert fits[2]["note"]["params"] == said
