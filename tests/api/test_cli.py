"""The `backprop-lens` command line (run as `python -m app`; no test here leaves a server up).

Every bad flag or variable gets one line on stderr that names it, its value and what is
allowed, exit status 2, and no traceback.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import parser
from app.version import VERSION
from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BACKPROP_LENS_")}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """The one line of a refusal (exit 2, nothing on stdout, no traceback)."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_version_prints_the_distributions_version() -> None:
    done = run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"backprop-lens {VERSION}"


def test_serve_help_gives_every_flag_a_text_and_lists_every_store_form() -> None:
    done = run("serve", "--help")
    assert done.returncode == 0, done.stderr
    serve = parser()._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    flags = [a for a in serve._actions if a.option_strings and a.dest != "help"]
    assert {f.option_strings[0] for f in flags} == {
        "--host",
        "--port",
        "--store",
        "--workers",
        "--log-level",
    }
    for flag in flags:
        assert flag.help, flag.option_strings
        assert re.search(rf"^\s+{flag.option_strings[0]} \S+\s+\w", done.stdout, re.M), flag
    for form in ("sqlite:///", "sqlite:////", "memory://", "redis://[:password@]host:port/db"):
        assert form in done.stdout
    assert "`" not in done.stdout


def test_top_level_help_names_the_serve_command() -> None:
    done = run("--help")
    assert done.returncode == 0, done.stderr
    assert "serve" in done.stdout
    assert "--version" in done.stdout


@pytest.mark.parametrize(
    ("args", "env", "named", "allowed"),
    [
        (["--port", "99999"], {}, "--port 99999", "1 to 65535"),
        (["--port", "-1"], {}, "--port -1", "1 to 65535"),
        (["--port", "http"], {}, "--port http", "1 to 65535"),
        ([], {"BACKPROP_LENS_PORT": "0"}, "BACKPROP_LENS_PORT=0", "1 to 65535"),
        ([], {"BACKPROP_LENS_PORT": "70000"}, "BACKPROP_LENS_PORT=70000", "1 to 65535"),
        (["--workers", "0"], {}, "--workers 0", "1 or more"),
        ([], {"BACKPROP_LENS_WORKERS": "many"}, "BACKPROP_LENS_WORKERS=many", "1 or more"),
        (["--store", "foo://bar"], {}, "--store foo://bar", "memory://"),
        (
            [],
            {"BACKPROP_LENS_STORE": "postgres://db"},
            "BACKPROP_LENS_STORE=postgres://db",
            "redis://",
        ),
        (["--store", "sqlite:///"], {}, "--store sqlite:///", "sqlite:///relative/file.db"),
        (["--store", "sqlite:////proc/x.db"], {}, "/proc", "a folder this user can"),
        (["--store", "sqlite:////etc/passwd/x.db"], {}, "/etc/passwd", "a folder this user can"),
        (["--store", "sqlite:////etc/passwd"], {}, "/etc/passwd", "an existing Backprop Lens"),
        (["--store", "sqlite:////tmp"], {}, "--store sqlite:////tmp", "a SQLite file"),
        (["--store", "memory://", "--workers", "2"], {}, "--workers 2", "1 worker with memory://"),
        (
            ["--workers", "3"],
            {"BACKPROP_LENS_STORE": "memory://"},
            "BACKPROP_LENS_STORE",
            "1 worker",
        ),
        (["--host", "nowhere.invalid"], {}, "--host nowhere.invalid", "127.0.0.1"),
        # TEST-NET-1 is never an address of this machine; binding to it sends nothing.
        (["--host", "192.0.2.1"], {}, "--host 192.0.2.1", "an address of this machine"),
        (["--log-level", "loud"], {}, "--log-level loud", "info, debug"),
        ([], {"BACKPROP_LENS_MAX_WIDTH": "wide"}, "BACKPROP_LENS_MAX_WIDTH='wide'", "above 0"),
        ([], {"BACKPROP_LENS_MAX_WIDTH": "4096"}, "BACKPROP_LENS_MAX_WIDTH=4096", "1 to 1024"),
        ([], {"BACKPROP_LENS_IDLE_DAYS": "-1"}, "BACKPROP_LENS_IDLE_DAYS='-1'", "above 0"),
    ],
)
def test_a_bad_flag_or_variable_gets_one_line_naming_it_and_what_is_allowed(
    args: list[str], env: dict[str, str], named: str, allowed: str
) -> None:
    line = refused(run("serve", *args, env={"BACKPROP_LENS_STORE": "memory://", **env}))
    assert named in line
    assert "allowed" in line
    assert allowed in line


def test_an_unreachable_redis_is_named_with_its_password_hidden() -> None:
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    line = refused(run("serve", "--store", url))
    assert "--store redis://:***@127.0.0.1:" in line
    assert "Redis does not answer" in line
    assert "hunter2" not in line


def test_a_port_in_use_is_named() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = refused(run("serve", "--store", "memory://", "--port", str(port)))
    assert f"--port {port}: 127.0.0.1:{port} is already in use" in line
    assert "allowed" in line


def test_a_default_port_in_use_names_its_flag_and_variable() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # The port comes from the variable here: the line names the variable.
        line = refused(run("serve", "--store", "memory://", env={"BACKPROP_LENS_PORT": str(port)}))
    assert f"BACKPROP_LENS_PORT={port}" in line
