"""The wheel is the product: built from the sources, installed into a fresh venv, it serves.

The venv has no system site-packages and no editable install; its dependencies come from the
index pip already uses (its cache makes that quick). The server starts from a folder outside
the checkout, so nothing can be found beside the source tree.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "README.md",
    "LICENSE",
    "app",
    "core",
    "static",
    "templates",
)
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


@dataclass
class Installed:
    wheel: Path
    venv: Path
    home: Path

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name

    def env(self) -> dict[str, str]:
        """The environment of a user of the wheel: no project variables, no PYTHONPATH."""
        keep = {
            k: v for k, v in os.environ.items() if not k.startswith(("BACKPROP_LENS_", "PYTHON"))
        }
        return {**keep, "HOME": str(self.home), "XDG_DATA_HOME": str(self.home / "data")}


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=SKIP)
        else:
            shutil.copy2(ROOT / name, src / name)
    dist = base / "dist"
    pip = [sys.executable, "-m", "pip"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, src], base)
    (wheel,) = dist.glob("backprop_lens-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], base)
    _run([*pip, "--python", venv / "bin" / "python", "install", "-q", wheel], base)
    home = base / "home"
    home.mkdir()
    return Installed(wheel, venv, home)


def test_the_wheel_holds_every_module_page_file_and_the_license(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {f"{p.relative_to(ROOT)}" for d in ("app", "core") for p in (ROOT / d).rglob("*.py")}
    for folder in ("static", "templates"):
        expected |= {
            f"app/{p.relative_to(ROOT)}" for p in (ROOT / folder).rglob("*") if p.is_file()
        }
    assert expected - names == set()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_the_installed_package_finds_its_page_files_inside_itself(installed: Installed) -> None:
    code = (
        "from app.pages import page_folder; print(page_folder('static'), page_folder('templates'))"
    )
    out = _run([installed.bin("python"), "-c", code], installed.home, installed.env())
    static, templates = (Path(p) for p in out.split())
    site = next((installed.venv / "lib").glob("python*/site-packages"))
    assert static == site / "app" / "static"
    assert templates == site / "app" / "templates"


def test_version_is_the_distributions(installed: Installed) -> None:
    out = _run([installed.bin("backprop-lens"), "--version"], installed.home, installed.env())
    assert out.strip() == f"backprop-lens {installed.wheel.name.split('-')[1]}"


@pytest.fixture(scope="module")
def server(installed: Installed) -> Iterator[str]:
    """`backprop-lens serve` of the wheel, started from a folder outside the checkout."""
    port = free_port()
    cmd = [
        str(installed.bin("backprop-lens")),
        "serve",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=installed.home, env=installed.env(), start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"backprop-lens serve exited with {proc.returncode}"
            try:
                if httpx.get(url + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the installed server did not answer in 60 s"
            time.sleep(0.1)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)


def test_the_installed_server_serves_the_page_its_files_and_the_docs(
    server: str, installed: Installed
) -> None:
    page = httpx.get(server + "/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', page.text)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert scripts and styles
    for path, kind in [(scripts[0], "javascript"), (styles[0], "text/css")]:
        r = httpx.get(server + path)
        assert r.status_code == 200, path
        assert kind in r.headers["content-type"]
        assert r.content == (ROOT / path.removeprefix("/")).read_bytes()
    docs = httpx.get(server + "/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    icon = httpx.get(server + "/favicon.ico")
    assert icon.status_code == 200
    assert icon.content == (ROOT / "static" / "favicon.ico").read_bytes()
    # The default store went to the user's data folder, not next to any source tree.
    assert (installed.home / "data" / "backprop-lens" / "networks.db").is_file()
