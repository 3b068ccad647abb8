"""Browser tests: a live uvicorn server in a subprocess, driven by Debian's Chromium.

Every page opened through `open_lens` records its requests and console; at the end of the
test it must have made no request off the test server, no failed request and logged no
console error (a CSP violation is one), so each test also checks those.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.live import Server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    """Debian's Chromium (or BACKPROP_LENS_CHROMIUM); None falls back to Playwright's own."""
    return (
        os.environ.get("BACKPROP_LENS_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def launch_args() -> dict[str, Any]:
    """Launch options for Chromium, shared by the tests and bench/page_fps.py."""
    args: dict[str, Any] = {"args": CHROMIUM_ARGS}
    exe = chromium_path()
    if exe:
        args["executable_path"] = exe
    return args


class LiveServer(Server):
    """The app (`backprop-lens serve`) on a free port with the memory store, until stopped."""

    def __init__(self, extra_env: dict[str, str] | None = None) -> None:
        super().__init__({"BACKPROP_LENS_STORE": "memory://", **(extra_env or {})})

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Calls the API directly (not through the page) and returns the decoded JSON."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + "/api/v1" + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as res:
            return json.loads(res.read() or b"null")


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    # No creation rate limit: the suite builds a few dozen networks from one address.
    live = LiveServer({"BACKPROP_LENS_CREATES_PER_MINUTE": "0"})
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, **launch_args()}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": VIEWPORT}


@dataclass
class Watch:
    """What a page did on the network and in its console."""

    origin: str
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failures.append(f"{r.method} {r.url}: {r.failure}"))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.failures.append(f"{r.status} {r.url}"),
        )
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))

    def _on_console(self, msg: Any) -> None:
        # Errors (CSP violations included), and the catalog's warning for a missing string.
        if msg.type == "error" or "missing string" in msg.text:
            self.console.append(f"{msg.type}: {msg.text}")

    def off_origin(self) -> list[str]:
        here = urlsplit(self.origin)
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob")
            and (urlsplit(u).hostname, urlsplit(u).port) != (here.hostname, here.port)
        ]

    def take_refusals(self, expected: int | None = 1) -> None:
        """Takes the expected refusals (422 on POST /networks), and the console line Chromium
        writes for each, off the failures; `expected` of them must be there (None: any)."""
        gone = [f for f in self.failures if f.startswith("422 ") and f.endswith("/networks")]
        if expected is not None:
            assert len(gone) == expected, self.failures
        logged = [c for c in self.console if "status of 422" in c]
        assert len(logged) == len(gone), self.console
        for f in gone:
            self.failures.remove(f)
        for c in logged:
            self.console.remove(c)

    def take_gone(self, ids: list[str], status: int = 404) -> int:
        """Takes the answers `status` (404: the server no longer has it) to requests about the
        networks `ids`, and Chromium's console line for each, off the failures; returns how
        many there were."""
        gone = [
            f
            for f in self.failures
            if f.startswith(f"{status} ") and any(f"/networks/{i}" in f for i in ids)
        ]
        logged = [c for c in self.console if f"status of {status}" in c][: len(gone)]
        assert len(logged) == len(gone), (self.failures, self.console)
        for f in gone:
            self.failures.remove(f)
        for c in logged:
            self.console.remove(c)
        return len(gone)

    def check(self) -> None:
        assert self.off_origin() == [], "the page made requests off the test server"
        assert self.failures == [], "the page had failed requests"
        assert self.console == [], "the page logged console errors"


@dataclass
class Lens:
    """The page under test, its server and its watch."""

    page: Page
    server: LiveServer
    watch: Watch

    @property
    def network_id(self) -> str:
        return str(self.page.evaluate("window.__lens.networkId"))

    def state(self) -> Any:
        """The network state, straight from the API."""
        return self.server.api("GET", f"/networks/{self.network_id}")

    def wait_phase(self, key: str) -> None:
        expect(self.page.get_by_test_id("phase")).to_have_attribute("data-phase", key)

    def step_response(self, action: Any) -> Any:
        """Runs `action` and returns the JSON of the step request it makes."""
        with self.page.expect_response(
            lambda r: r.url.endswith("/step") and r.request.method == "POST"
        ) as info:
            action()
        response = info.value
        assert response.ok, response.status
        return response.json()

    def step(self) -> Any:
        """Presses Step, waits for its update phase, and returns the step's JSON."""
        step = self.step_response(lambda: self.page.get_by_test_id("step").click())
        self.wait_phase("update")
        return step

    def open_tab(self, name: str) -> None:
        """Shows one of the outputs column's tabs: curves, chain, softmax or tools."""
        self.page.get_by_test_id(f"tab-{name}").click()
        expect(self.page.get_by_test_id(f"tab-{name}")).to_have_attribute("aria-selected", "true")

    def value(self, testid: str) -> float:
        """The number an element carries in data-value, once it carries one."""
        el = self.page.get_by_test_id(testid)
        expect(el).to_have_attribute("data-value", re.compile(r"."))
        return float(el.get_attribute("data-value") or "nan")

    def play_until(self, step: int) -> None:
        """Plays at full speed until the server has taken `step` steps, then pauses."""
        page = self.page
        speed = page.locator("#speed")
        speed.evaluate("(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
        page.get_by_test_id("play").click()
        page.wait_for_function(f"() => window.__lens.step >= {step}", timeout=30_000)
        page.get_by_test_id("play").click()
        expect(page.locator("body")).to_have_attribute("data-playing", "false")
        self.settle()

    def settle(self, timeout: float = 30.0) -> None:
        """Waits until a request still in flight has landed: the page shows the server's step."""
        deadline = time.monotonic() + timeout
        shown = (
            "() => [window.__lens.step,"
            " document.querySelector('[data-testid=step-count]').textContent]"
        )
        agreed = 0
        while agreed < 2:  # the same step twice in a row, 0.2 s apart: nothing was in flight
            page_step, text = self.page.evaluate(shown)
            server_step = self.state()["step"]
            agreed = agreed + 1 if page_step == server_step and text == str(page_step) else 0
            assert time.monotonic() < deadline, f"page at {page_step}, server at {server_step}"
            time.sleep(0.2)

    def edges(self) -> list[dict[str, Any]]:
        return list(
            self.page.evaluate(
                """() => [...document.querySelectorAll('#network .edge')].map((e) => ({
                    layer: e.dataset.layer, i: e.dataset.i, j: e.dataset.j, w: e.dataset.w,
                    width: parseFloat(e.style.strokeWidth), stroke: getComputedStyle(e).stroke}))"""
            )
        )

    def arrows(self, selector: str = "#network-arrows .grad-arrow") -> list[dict[str, Any]]:
        """The gradient arrows `selector` finds (the network's; compare mode's drawings')."""
        return list(
            self.page.evaluate(
                """(sel) => [...document.querySelectorAll(sel)].map((e) => ({
                    layer: Number(e.dataset.layer), i: Number(e.dataset.i), j: Number(e.dataset.j),
                    order: e.dataset.order === undefined ? null : Number(e.dataset.order),
                    width: e.dataset.width === undefined ? null : Number(e.dataset.width),
                    dw: e.dataset.dw === undefined ? null : Number(e.dataset.dw),
                    stroke: getComputedStyle(e).stroke, dash: getComputedStyle(e).strokeDasharray,
                    marker: e.getAttribute('marker-end'), display: getComputedStyle(e).display,
                    animation: getComputedStyle(e).animationName}))""",
                selector,
            )
        )


def open_lens(context: BrowserContext, server: LiveServer, fragment: str = "") -> Lens:
    """Opens the page in a new tab, watched, and waits until the network is drawn."""
    page = context.new_page()
    watch = Watch(server.url)
    watch.attach(page)
    page.goto(server.url + "/" + fragment)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    return Lens(page, server, watch)


@pytest.fixture
def lens(context: BrowserContext, server: LiveServer) -> Iterator[Lens]:
    """The page with the default network, checked for stray requests and console errors."""
    opened = open_lens(context, server)
    yield opened
    opened.watch.check()


@pytest.fixture
def open_page(context: BrowserContext, server: LiveServer) -> Iterator[Any]:
    """Opens the page at a URL fragment (e.g. a #config= link); every page is checked."""
    opened: list[Lens] = []

    def _open(fragment: str = "") -> Lens:
        opened.append(open_lens(context, server, fragment))
        return opened[-1]

    yield _open
    for o in opened:
        o.watch.check()


@pytest.fixture
def reduced_motion_lens(browser: Browser, server: LiveServer) -> Iterator[Lens]:
    """The page in a context that prefers reduced motion."""
    context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce")
    opened = open_lens(context, server)
    yield opened
    opened.watch.check()
    context.close()


def forgive_aborts(lens: Lens) -> None:
    """A reload aborts the requests in flight (a boundary, say): those are no failures."""
    lens.watch.failures = [f for f in lens.watch.failures if "ERR_ABORTED" not in f]


def config_fragment(config: dict[str, Any]) -> str:
    """The #config= fragment the page reads a network from."""
    return "#config=" + quote(json.dumps(config))


def weight_count(layers: list[int]) -> int:
    return sum(a * b for a, b in itertools.pairwise(layers))


def within(page: Any, api: Any) -> bool:
    """Every setting the page holds has the API's value (the API adds its own defaults)."""
    if isinstance(page, dict):
        return isinstance(api, dict) and all(
            k in api and within(v, api[k]) for k, v in page.items()
        )
    if isinstance(page, list):
        return isinstance(api, list) and len(page) == len(api) and all(map(within, page, api))
    return bool(page == api)
