"""Takes the README's screenshots of the page at 1280×800:

    .venv/bin/python -m tests.browser.screenshot [--shot page|inspector|korean|all]

- docs/screenshot.png: the default network, trained for a while, in the middle of a backward
  pass (Phase presses stop at the backward pass of the middle weight layer);
- docs/inspector.png: the chain-rule inspector on a two-layer network, showing a first-layer
  weight's gradient in the lecture note's form, with a factor pointed at in the network;
- docs/korean.png: the page in Korean with the curves of a trained network.

Korean glyphs need a CJK font on the machine (Debian: fonts-noto-cjk); the tests never do.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from tests.browser.conftest import ROOT, VIEWPORT, LiveServer, config_fragment, launch_args

MAX_BYTES = 500_000
DOCS = ROOT / "docs"

TWO_LAYERS = {
    "layers": [2, 4, 2],
    "activations": ["tanh", "softmax"],
    "dataset": {"kind": "circle", "n": 200, "noise": 0.1},
    "optimizer": {"name": "sgd", "learning_rate": 0.1, "momentum": 0},
    "batch_size": 4,
}


def train(page: Page, steps: int) -> None:
    """Plays at 200 steps/s until `steps` steps, then pauses and slows down again."""
    for _ in range(4):
        page.keyboard.press("+")
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => window.__lens.step >= {steps}", timeout=60_000)
    page.get_by_test_id("play").click()
    expect(page.locator("body")).to_have_attribute("data-playing", "false")
    for _ in range(4):
        page.keyboard.press("-")
    # The neurons' maps of the trained weights, before the next step starts.
    step = page.evaluate("window.__lens.step")
    expect(page.locator("#network")).to_have_attribute("data-maps-step", str(step))


def phases(page: Page, n: int, last: str) -> None:
    for _ in range(n):
        page.get_by_test_id("phase-step").click()
    expect(page.get_by_test_id("phase")).to_have_attribute("data-phase", last)


def settle(page: Page) -> None:
    """Waits for the transitions to end."""
    page.wait_for_timeout(600)  # let the newest arrows finish fading in


def shot_page(page: Page, url: str) -> None:
    page.goto(url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    train(page, 300)
    phases(page, 6, "backward-1")  # forward 1..3, loss, backward 3, backward 2
    page.mouse.move(0, VIEWPORT["height"] - 1)
    settle(page)


def shot_inspector(page: Page, url: str) -> None:
    page.goto(url + "/" + config_fragment(TWO_LAYERS))
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    train(page, 40)
    phases(page, 6, "update")  # forward 1, 2, loss, backward 2, 1, update
    # The first layer's weight with the largest gradient in this step, picked as a keyboard
    # user would.
    i, j = page.evaluate(
        """() => { const dW = window.__lens.lastStep.layers[0].dW; let best = [0, 0];
             dW.forEach((row, i) => row.forEach((v, j) => {
               if (Math.abs(v) > Math.abs(dW[best[0]][best[1]])) best = [i, j]; }));
             return best; }"""
    )
    page.get_by_test_id("tab-chain").click()
    page.get_by_test_id("insp-i").select_option(index=i)
    page.get_by_test_id("insp-j").select_option(index=j)
    expect(page.get_by_test_id("inspector-body")).to_have_attribute("data-status", "ready")
    page.locator(".col-right").evaluate("(col) => { col.scrollTop = col.scrollHeight; }")
    page.get_by_test_id("seed-form").locator(f'[data-hl="node:1:{j}"]').first.hover()
    settle(page)


def shot_korean(page: Page, url: str) -> None:
    page.goto(url + "/")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    page.get_by_test_id("lang").select_option("ko")
    train(page, 400)
    phases(page, 5, "backward-2")  # forward 1..3, loss, backward 3
    page.mouse.move(0, VIEWPORT["height"] - 1)
    settle(page)


SHOTS: dict[str, tuple[str, Callable[[Page, str], None]]] = {
    "page": ("screenshot.png", shot_page),
    "inspector": ("inspector.png", shot_inspector),
    "korean": ("korean.png", shot_korean),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shot", choices=[*SHOTS, "all"], default="all")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the PNG files")
    args = parser.parse_args()
    names = list(SHOTS) if args.shot == "all" else [args.shot]

    server = LiveServer({"BACKPROP_LENS_CREATES_PER_MINUTE": "0"})
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_args())
            for name in names:
                file, take = SHOTS[name]
                context = browser.new_context(viewport=VIEWPORT, locale="en-US")
                page = context.new_page()
                take(page, server.url)
                out = args.out / file
                page.screenshot(path=str(out))
                context.close()
                size = out.stat().st_size
                print(f"{out}: {size} bytes")
                if size > MAX_BYTES:
                    raise SystemExit(f"{out} is {size} bytes, more than {MAX_BYTES}")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
