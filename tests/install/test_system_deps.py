"""`make test`'s prerequisites (.ci/system_deps.py): installed once, or one message saying how.

Each case runs the script's own decision with a PATH of stand-in commands and a chosen user
id; the commands it would run are recorded, not run.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("system_deps", ROOT / ".ci" / "system_deps.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


deps = load()


class Recorder:
    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __call__(self, cmd: Sequence[str]) -> int:
        self.commands.append(list(cmd))
        return 0


def machine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, commands: Sequence[str], uid: int
) -> None:
    """A PATH holding only `commands` (stand-ins), and the user id `uid`."""
    for name in commands:
        tool = tmp_path / name
        tool.write_text("#!/bin/sh\nexit 0\n")
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BACKPROP_LENS_CHROMIUM", raising=False)
    monkeypatch.setattr(os, "geteuid", lambda: uid)


def no() -> bool:
    return False


def yes() -> bool:
    return True


def test_nothing_is_run_when_everything_is_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    machine(monkeypatch, tmp_path, ["apt-get"], uid=1000)
    runner = Recorder()
    assert deps.main(yes, yes, runner, yes) == 0
    assert runner.commands == []


def test_a_user_without_root_or_sudo_is_told_the_packages_and_the_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    machine(monkeypatch, tmp_path, ["apt-get"], uid=1000)
    runner = Recorder()
    assert deps.main(no, no, runner, no) == 1
    assert runner.commands == []
    err = capsys.readouterr().err
    assert "needs chromium, redis-server and curl" in err
    assert "apt-get update && apt-get install -y chromium redis-server curl" in err


@pytest.mark.parametrize(
    ("uid", "chromium", "redis", "prefix", "package"),
    [(1000, yes, no, ["sudo"], "redis-server"), (0, no, yes, [], "chromium")],
)
def test_root_or_sudo_installs_only_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    uid: int,
    chromium: Callable[[], bool],
    redis: Callable[[], bool],
    prefix: list[str],
    package: str,
) -> None:
    machine(monkeypatch, tmp_path, ["apt-get", "sudo"], uid=uid)
    runner = Recorder()
    assert deps.main(chromium, redis, runner, yes) == 0
    assert runner.commands[0] == [*prefix, "apt-get", "update", "-qq"]
    install = runner.commands[1]
    assert install[: len(prefix)] == prefix
    assert install[-5:] == ["apt-get", "install", "-y", "-qq", package]
    assert "sudo" not in install[len(prefix) :]


def test_without_apt_playwright_installs_its_chromium_and_the_next_run_finds_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    machine(monkeypatch, tmp_path, [], uid=1000)
    installed: list[bool] = []

    def runner(cmd: Sequence[str]) -> int:
        assert list(cmd) == [sys.executable, "-m", "playwright", "install", "chromium"]
        installed.append(True)
        return 0

    # Playwright's own Chromium counts as found: nothing on PATH, and no second install.
    monkeypatch.setattr(deps, "playwright_chromium", lambda: bool(installed))
    assert deps.main(deps.chromium_found, yes, runner, yes) == 0
    assert deps.main(deps.chromium_found, yes, runner, yes) == 0
    assert installed == [True]


def test_without_apt_a_missing_redis_server_or_curl_is_explained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    machine(monkeypatch, tmp_path, [], uid=0)
    runner = Recorder()
    assert deps.main(yes, no, runner, deps.curl_found) == 1
    assert runner.commands == []
    err = capsys.readouterr().err
    assert "needs redis-server and curl" in err
    assert "brew install redis curl" in err


def test_a_chromium_on_path_or_named_by_the_variable_is_found_without_playwright(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    machine(monkeypatch, tmp_path, ["chromium"], uid=1000)
    monkeypatch.setattr(deps, "playwright_chromium", no)
    assert deps.chromium_found()
    (tmp_path / "chromium").unlink()
    monkeypatch.setenv("BACKPROP_LENS_CHROMIUM", "/opt/chrome/chrome")
    assert deps.system_chromium() == "/opt/chrome/chrome"
    assert deps.chromium_found()


def test_playwright_without_its_browser_is_not_taken_for_a_chromium(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    machine(monkeypatch, tmp_path, [], uid=1000)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "no-browsers"))
    assert not deps.chromium_found()
