"""Takes docs/screenshot.png: the page at 1280×800 in the middle of a backward pass.

    .venv/bin/python -m tests.browser.screenshot [--out docs/screenshot.png]

The default network trains for a few hundred steps first (so the decision boundary has
taken shape), then Phase presses stop at the backward pass of the middle weight layer.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import ROOT, VIEWPORT, LiveServer, launch_args

MAX_BYTES = 500_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--steps", type=int, default=300, help="training steps before the shot")
    args = parser.parse_args()

    server = LiveServer({"BACKPROP_LENS_CREATES_PER_MINUTE": "0"})
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**launch_args())
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(server.url + "/")
            expect(page.locator("body")).to_have_attribute("data-ready", "true")
            for _ in range(4):
                page.keyboard.press("+")
            page.get_by_test_id("play").click()
            page.wait_for_function(f"() => window.__lens.step >= {args.steps}", timeout=60_000)
            page.get_by_test_id("play").click()
            expect(page.locator("body")).to_have_attribute("data-playing", "false")
            for _ in range(2):
                page.keyboard.press("-")
            # forward 1..3, loss, backward 3, backward 2: the arrows have reached layer 2.
            for _ in range(6):
                page.get_by_test_id("phase-step").click()
            phase = page.get_by_test_id("phase")
            expect(phase).to_have_attribute("data-phase", "backward-1")
            page.mouse.move(0, VIEWPORT["height"] - 1)
            page.wait_for_timeout(600)  # let the newest arrows finish fading in
            page.screenshot(path=str(args.out))
            browser.close()
    finally:
        server.stop()
    size = args.out.stat().st_size
    print(f"{args.out}: {size} bytes")
    if size > MAX_BYTES:
        raise SystemExit(f"{args.out} is {size} bytes, more than {MAX_BYTES}")


if __name__ == "__main__":
    main()
