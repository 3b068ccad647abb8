"""What `make test` needs beside Python, installed once when missing or explained in one message.

The browser tests drive a real Chromium (Debian's, BACKPROP_LENS_CHROMIUM, or Playwright's
own), the Redis store tests start a real redis-server, and the README's examples run curl.
With apt-get, missing packages are installed as root or through sudo; a user with neither is
told the command to run. Without apt-get, Playwright installs its own Chromium (once: it is
found on the next run) and the others must come from the system's package manager.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence

APT_PACKAGES = ("chromium", "redis-server", "curl")


def system_chromium() -> str | None:
    """A Chromium the browser tests use as is: BACKPROP_LENS_CHROMIUM or one on PATH."""
    return (
        os.environ.get("BACKPROP_LENS_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def playwright_chromium() -> bool:
    """Whether Playwright's own Chromium starts, launched as the browser tests launch it."""
    code = (
        "from playwright.sync_api import sync_playwright\n"
        "with sync_playwright() as p:\n"
        "    p.chromium.launch(headless=True).close()\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def chromium_found() -> bool:
    return system_chromium() is not None or playwright_chromium()


def redis_found() -> bool:
    return shutil.which("redis-server") is not None


def curl_found() -> bool:
    return shutil.which("curl") is not None


def missing_packages(*found: Callable[[], bool]) -> list[str]:
    """The Debian package names of what is not there (`found`: one check per package)."""
    return [name for name, check in zip(APT_PACKAGES, found, strict=True) if not check()]


def run(cmd: Sequence[str]) -> int:
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=False).returncode


def main(
    chromium: Callable[[], bool] = chromium_found,
    redis: Callable[[], bool] = redis_found,
    runner: Callable[[Sequence[str]], int] = run,
    curl: Callable[[], bool] = curl_found,
) -> int:
    """Install what is missing, or say how to; 0 when everything is there afterwards."""
    missing = missing_packages(chromium, redis, curl)
    if not missing:
        return 0
    names = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
    if shutil.which("apt-get"):
        if os.geteuid() == 0:
            prefix: list[str] = []
        elif shutil.which("sudo"):
            prefix = ["sudo"]
        else:
            print(
                f"make test needs {names}, which the tests drive for real; this user is not "
                "root and has no sudo, so install them as root with\n"
                f"    apt-get update && apt-get install -y {' '.join(missing)}\n"
                "and run make test again.",
                file=sys.stderr,
            )
            return 1
        print(f"make test: installing {names} with apt-get", flush=True)
        env = ["env", "DEBIAN_FRONTEND=noninteractive"]
        if runner([*prefix, "apt-get", "update", "-qq"]) != 0:
            return 1
        return runner([*prefix, *env, "apt-get", "install", "-y", "-qq", *missing])
    if "chromium" in missing:
        print("make test: no apt-get; installing Playwright's own Chromium", flush=True)
        if runner([sys.executable, "-m", "playwright", "install", "chromium"]) != 0:
            return 1
    others = [name for name in missing if name != "chromium"]
    if others:
        brew = {"redis-server": "redis"}
        print(
            f"make test needs {' and '.join(others)}, which the tests drive for real; install "
            "with the system's package manager, e.g.\n"
            f"    brew install {' '.join(brew.get(n, n) for n in others)}"
            f"    or    dnf install {' '.join(brew.get(n, n) for n in others)}\n"
            "and run make test again.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
