"""The shipped Hangul font covers every Korean character the page can show, is the last of the
Korean fonts in the page's stack, and comes with its licence."""

from __future__ import annotations

import re
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "static" / "fonts" / "hangul.woff2"
CSS = ROOT / "static" / "css" / "app.css"
SYSTEM_KOREAN = ["Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR"]


def is_hangul(c: str) -> bool:
    o = ord(c)
    return 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def page_hangul() -> set[str]:
    files = [*(ROOT / "static" / "js").rglob("*.js"), *(ROOT / "templates").rglob("*.html")]
    return {c for f in files for c in f.read_text(encoding="utf-8") if is_hangul(c)}


def test_the_font_has_every_hangul_character_of_the_page() -> None:
    hangul = page_hangul()
    catalog = next((ROOT / "static" / "js").rglob("strings-ko.js")).read_text(encoding="utf-8")
    assert sum(is_hangul(c) for c in catalog) > 1000  # the Korean catalog is among the files read
    font = TTFont(FONT)
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    missing = sorted(c for c in hangul if ord(c) not in cmap)
    assert missing == [], f"run scripts/subset_font.py: the font lacks {''.join(missing)}"
    assert FONT.stat().st_size < 200_000  # a subset, not the whole CJK font


def test_the_font_is_licensed_as_its_source() -> None:
    font = TTFont(FONT)
    licence = font["name"].getDebugName(13) or ""
    assert "SIL Open Font License" in licence
    text = (FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text
    assert "hangul.woff2" in text


def test_the_stack_puts_system_korean_fonts_before_the_shipped_one() -> None:
    css = CSS.read_text(encoding="utf-8")
    face = re.search(r"@font-face\s*{(.*?)}", css, re.S)
    assert face is not None
    assert 'font-family: "Backprop Lens Hangul"' in face.group(1)
    assert 'url("/static/fonts/hangul.woff2")' in face.group(1)
    assert "U+AC00-D7A3" in face.group(1)  # only Hangul comes from it
    stack = re.search(r"--font-hangul:(.*?);", css, re.S)
    assert stack is not None
    names = re.findall(r'"([^"]+)"', stack.group(1))
    assert names == [*SYSTEM_KOREAN, "Backprop Lens Hangul"]
    assert re.search(r"\n  font-family: [^;]*var\(--font-hangul\), sans-serif;", css)
