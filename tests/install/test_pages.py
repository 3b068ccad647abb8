"""app/pages.py in a checkout: the page's folders and /favicon.ico (the wheel: test_wheel.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import pages
from app.main import create_app
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_serves_its_top_level_page_folders() -> None:
    assert pages.page_folder("static") == ROOT / "static"
    assert pages.page_folder("templates") == ROOT / "templates"


def test_a_package_without_its_page_files_says_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "app").mkdir()
    monkeypatch.setattr(pages, "files", lambda package: tmp_path / package)
    with pytest.raises(RuntimeError, match=r"static/ folder is missing .* reinstall"):
        pages.page_folder("static")


def test_favicon_ico_is_the_icon_file() -> None:
    with TestClient(create_app(Settings(store="memory://"))) as client:
        r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/vnd.microsoft.icon"
    assert r.content == (ROOT / "static" / "favicon.ico").read_bytes()
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO header: reserved 0, type 1 (icon)
