"""Frame times of the page while it plays: a 6 × 8 network (six hidden layers of eight
neurons) training on the circle dataset in Chromium, measured as requestAnimationFrame
deltas. Goal: median ≤ 16.7 ms, 95th percentile ≤ 33 ms.

    .venv/bin/python bench/page_fps.py [--seconds 8] [--speed 200]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conftest import VIEWPORT, LiveServer, config_fragment, launch_args

CONFIG = {
    "layers": [2, 8, 8, 8, 8, 8, 8, 2],
    "activations": ["tanh"] * 6 + ["softmax"],
    "loss": "cross_entropy",
    "init": "xavier",
    "seed": 0,
    "dataset": {
        "kind": "circle",
        "n": 200,
        "noise": 0.1,
        "classes": 2,
        "test_fraction": 0.2,
        "seed": 0,
        "features": ["x1", "x2"],
    },
    "optimizer": {"name": "sgd", "learning_rate": 0.03, "momentum": 0},
    "batch_size": 10,
    "l2": 0,
}

SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500]  # the page's speed slider (controls.js)

# Records every requestAnimationFrame delta until stopped.
RECORD = """() => {
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured play time")
    parser.add_argument("--speed", type=int, default=200, choices=SPEEDS, help="steps/s asked")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--url", help="use this running server instead of starting one")
    args = parser.parse_args()

    server = None if args.url else LiveServer({"BACKPROP_LENS_CREATES_PER_MINUTE": "0"})
    base = args.url.rstrip("/") if args.url else server.url  # type: ignore[union-attr]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_args())
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(base + "/" + config_fragment(CONFIG))
            page.wait_for_selector("body[data-ready=true]")
            page.locator("#speed").evaluate(
                "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }",
                str(SPEEDS.index(args.speed)),
            )
            page.get_by_test_id("play").click()
            page.wait_for_function("() => window.__lens.step >= 20")  # warmed up
            step0 = page.evaluate("window.__lens.step")
            page.evaluate(RECORD)
            page.wait_for_timeout(args.seconds * 1000)
            frames = page.evaluate("() => { window.__recording = false; return window.__frames; }")
            steps = page.evaluate("window.__lens.step") - step0
            page.get_by_test_id("play").click()
            version = browser.version
            browser.close()
    finally:
        if server:
            server.stop()

    result = {
        "network": "2-8-8-8-8-8-8-2 tanh/softmax, circle, batch 10",
        "speed_asked": args.speed,
        "steps_per_second": round(steps / args.seconds, 1),
        "frames": len(frames),
        "median_ms": round(statistics.median(frames), 2),
        "p95_ms": round(percentile(frames, 0.95), 2),
        "max_ms": round(max(frames), 2),
        "chromium": version,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
    }
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:>17}: {value}")
    ok = result["median_ms"] <= 16.7 and result["p95_ms"] <= 33
    print(f"{'goal':>17}: median ≤ 16.7 ms, p95 ≤ 33 ms: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
