"""Regenerates static/fonts/hangul.woff2: the Hangul of Noto Sans CJK KR (SIL OFL 1.1), so the
Korean page renders on a machine with no Korean font.

    apt-get install fonts-noto-cjk          # the source font (Debian); or pass --source
    .venv/bin/pip install 'fonttools[woff]'  # a development tool, not a dependency of the app
    .venv/bin/python scripts/subset_font.py

The subset holds the 2,350 Hangul syllables of KS X 1001 (nearly all of modern Korean text),
the 51 compatibility jamo and every other Hangul character that the page's files (static/js,
templates) contain, so a new Korean string rarely needs a new font. tests/test_font.py fails
when a string of the page has a syllable the font lacks: run this script again then.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "static" / "fonts" / "hangul.woff2"
SOURCES = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKkr-Regular.otf"),
]
FAMILY = "Noto Sans CJK KR"
# Copyright, family, style, unique id, full name, version, PostScript name, licence, licence URL.
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]


def is_hangul(c: str) -> bool:
    """A Hangul syllable, jamo or compatibility jamo."""
    o = ord(c)
    return 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def page_files() -> list[Path]:
    """Every file whose text the page can show: its scripts and templates."""
    return sorted([*(ROOT / "static" / "js").rglob("*.js"), *(ROOT / "templates").rglob("*.html")])


def page_hangul() -> set[str]:
    """Every Hangul character in the page's files."""
    return {c for f in page_files() for c in f.read_text(encoding="utf-8") if is_hangul(c)}


def ks_x_1001() -> set[str]:
    """The 2,350 precomposed syllables of KS X 1001 (the ones EUC-KR encodes in two bytes)."""
    out = set()
    for o in range(0xAC00, 0xD7A4):
        try:
            if len(chr(o).encode("euc-kr")) == 2:
                out.add(chr(o))
        except UnicodeEncodeError:
            continue
    return out


def compat_jamo() -> set[str]:
    return {chr(o) for o in range(0x3131, 0x318F)}


def open_source(path: Path) -> TTFont:
    """The Korean font of a collection (.ttc), or the font file itself."""
    if path.suffix.lower() != ".ttc":
        return TTFont(path)
    for number, font in enumerate(TTCollection(path).fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return TTFont(path, fontNumber=number)
    raise SystemExit(f"{path} holds no font named {FAMILY!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    found = next((p for p in SOURCES if p.exists()), None)
    parser.add_argument("--source", type=Path, default=found, help="Noto Sans CJK KR (.ttc/.otf)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.source is None:
        raise SystemExit("no source font: apt-get install fonts-noto-cjk, or pass --source")

    chars = ks_x_1001() | compat_jamo() | page_hangul()
    font = open_source(args.source)
    missing = sorted(c for c in chars if ord(c) not in font.getBestCmap())
    if missing:
        raise SystemExit(f"{args.source} lacks {''.join(missing)}")
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = NAME_IDS
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(args.out)
    print(f"{args.out}: {len(chars)} characters, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
