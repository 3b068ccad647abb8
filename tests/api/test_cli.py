"""The `backprop-lens` command line (run as `python -m app`, never starting a server)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_help_exits_zero_and_lists_the_flags() -> None:
    done = run("serve", "--help")
    assert done.returncode == 0, done.stderr
    for flag in ("--host", "--port", "--store", "--workers"):
        assert flag in done.stdout


def test_serve_with_a_bad_variable_exits_2_naming_it() -> None:
    done = run("serve", env={"BACKPROP_LENS_MAX_WIDTH": "wide"})
    assert done.returncode == 2
    assert "BACKPROP_LENS_MAX_WIDTH" in done.stderr


def test_serve_refuses_a_memory_store_shared_by_workers() -> None:
    done = run("serve", "--store", "memory://", "--workers", "2")
    assert done.returncode == 2
    assert "memory://" in done.stderr
