"""Korean and English: one catalog with the same keys in both, a switch that relabels the
whole page and is remembered, and the browser's language as the default."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ROOT, VIEWPORT, Lens, LiveServer, forgive_aborts, open_lens

pytestmark = pytest.mark.browser

# Latin words that stay as they are in Korean: names of functions, optimizers, initialisers,
# formats and keys, the product's name, and the language menu's own "English".
ALLOWED = {
    "Backprop", "Lens", "softmax", "argmax", "exp", "max", "sin", "tanh", "relu", "leaky_relu",
    "sigmoid", "linear", "ReLU", "SGD", "Adam", "Xavier", "He", "XOR", "JSON", "Ctrl",
    "TensorFlow", "Playground", "English", "eff", "CSV", "Enter", "Delete", "Esc",  # keys, a format
    "numpy",  # the library the note's softmax code is written in
}  # fmt: skip

# Every string the page shows or reads out: text (formulas in MathML and code excepted), option
# labels, aria-labels, titles and placeholders.
SHOWN = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('math, code, script, style, [hidden], dialog:not([open])')) continue;
    if (!el.closest('option') && !el.checkVisibility()) continue;
    if (n.textContent.trim()) out.push(n.textContent.trim());
  }
  for (const el of document.querySelectorAll('[aria-label], [title]')) {
    for (const a of ['aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  out.push(document.title);
  return out;
}"""

WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def english_words(texts: list[str]) -> set[str]:
    return {w for text in texts for w in WORD.findall(text)} - ALLOWED


def show_everything(lens: Lens) -> list[str]:
    """Runs a step, then collects what each tab shows (the gradient check run too)."""
    page = lens.page
    lens.step()
    seen: list[str] = []
    for tab in ("curves", "softmax", "tools", "chain"):
        lens.open_tab(tab)
        if tab == "tools":
            page.get_by_test_id("gradcheck-run").click()
            expect(page.get_by_test_id("gradcheck-max")).to_be_visible()
        if tab == "chain":
            body = page.get_by_test_id("inspector-body")
            expect(body).to_have_attribute("data-status", "ready")
        seen += page.evaluate(SHOWN)
    return seen


def test_both_languages_have_every_key(lens: Lens) -> None:
    keys = lens.page.evaluate(
        "import('/static/js/i18n/strings.js').then((m) => Object.fromEntries("
        "Object.entries(m.STRINGS).map(([k, v]) => [k, Object.keys(v)])))"
    )
    assert set(keys) == {"en", "ko"}
    assert set(keys["en"]) == set(keys["ko"]), set(keys["en"]) ^ set(keys["ko"])
    template = (ROOT / "templates" / "index.html").read_text()
    used = set(re.findall(r'data-i18n(?:-title|-aria-label)?="([\w.]+)"', template))
    for path in sorted((ROOT / "static" / "js").rglob("*.js")):
        used |= set(re.findall(r'\bt\("([\w.]+)"', path.read_text()))
    assert used - set(keys["en"]) == set(), "strings used but not in the catalog"


def test_switching_to_korean_leaves_no_english_visible(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("lang").select_option("ko")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_test_id("tab-chain")).to_have_text("연쇄법칙")
    seen = show_everything(lens)
    assert english_words(seen) == set()
    assert any("역전파" in s for s in seen) and any("기울기" in s for s in seen)


def test_the_english_page_shows_no_korean(lens: Lens) -> None:
    seen = show_everything(lens)
    assert {s for s in seen if HANGUL.search(s)} == {"한국어"}  # the menu's own name for it


def test_the_choice_is_remembered_and_switches_back(lens: Lens) -> None:
    page = lens.page
    page.keyboard.press("l")  # the shortcut goes to the next language
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    forgive_aborts(lens)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_test_id("step")).to_contain_text("한 스텝")
    page.get_by_test_id("lang").select_option("en")
    expect(page.get_by_test_id("step")).to_contain_text("Step")
    expect(page.get_by_test_id("narration")).to_be_attached()


def test_the_default_follows_the_browser_language(browser: Browser, server: LiveServer) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="ko-KR")
    try:
        lens = open_lens(context, server)
        expect(lens.page.locator("html")).to_have_attribute("lang", "ko")
        expect(lens.page.get_by_test_id("lang")).to_have_value("ko")
        expect(lens.page.get_by_test_id("tab-curves")).to_have_text("곡선")
        lens.watch.check()
    finally:
        context.close()


FIRST_KOREAN = [
    *(f'[data-testid="{k}"]' for k in ["reset", "open-lesson", "speed-value", "tab-curves"]),
    "#metrics",
    "#legend",
]
WIDTHS = """(sels) => sels.map((sel) => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector(sel));
  return [...range.getClientRects()].reduce((w, r) => w + r.width, 0);
})"""


def test_a_first_visit_in_korean_draws_hangul_with_the_shipped_font(
    browser: Browser, server: LiveServer
) -> None:
    """Text laid out before the Hangul font arrived kept the fallback's empty boxes (the Reset
    button, the speed, the Curves tab...); each must be as wide as after a switch of language,
    which lays it out again with the font loaded."""
    context = browser.new_context(
        viewport=VIEWPORT, locale="ko-KR", extra_http_headers={"Accept-Language": "ko-KR,ko"}
    )
    try:
        lens = open_lens(context, server)
        page = lens.page
        expect(page.get_by_test_id("reset")).to_contain_text("초기화")
        first = page.evaluate(WIDTHS, FIRST_KOREAN)
        page.get_by_test_id("lang").select_option("en")
        expect(page.get_by_test_id("reset")).to_contain_text("Reset")
        page.get_by_test_id("lang").select_option("ko")
        expect(page.get_by_test_id("reset")).to_contain_text("초기화")
        again = page.evaluate(WIDTHS, FIRST_KOREAN)
        pairs = dict(zip(FIRST_KOREAN, zip(first, again, strict=True), strict=True))
        assert first == pytest.approx(again, abs=0.5), pairs
        lens.watch.check()
    finally:
        context.close()


CHAPTERS = ["linear", "softmax", "activation", "forward", "deep", "chain", "twolayer", "residual"]
PRESETS = ["deep-wide", "sigmoid-relu", "plain-residual", "sgd-adam", "mse-ce"]


def show_modes(lens: Lens) -> list[str]:
    """Collects what every lesson chapter and every compare preset shows."""
    page = lens.page
    busy = page.locator("body")
    seen: list[str] = []
    page.get_by_test_id("open-lesson").click()
    for chapter in CHAPTERS:
        page.get_by_test_id(f"lesson-chapter-{chapter}").click()
        expect(page.get_by_test_id("lesson")).to_have_attribute("data-chapter", chapter)
        expect(busy).to_have_attribute("data-busy", "0")
        seen += page.evaluate(SHOWN)
    page.get_by_test_id("open-compare").click()
    for preset in PRESETS:
        page.get_by_test_id(f"compare-preset-{preset}").click()
        expect(busy).to_have_attribute("data-busy", "0")
        page.get_by_test_id("step").click()
        expect(busy).to_have_attribute("data-busy", "0")
        seen += page.evaluate(SHOWN)
    return seen


def test_the_lesson_and_compare_mode_in_korean_show_no_english(lens: Lens) -> None:
    page = lens.page
    page.get_by_test_id("lang").select_option("ko")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    seen = show_modes(lens)
    assert english_words(seen) == set()
    for term in ("순전파", "역전파", "활성함수", "잠재벡터", "크로네커 델타"):  # the note's terms
        assert any(term in s for s in seen), term


def test_the_lesson_and_compare_mode_in_english_show_no_korean(lens: Lens) -> None:
    seen = show_modes(lens)
    assert {s for s in seen if HANGUL.search(s)} == {"한국어"}
    assert any("Kronecker" in s for s in seen) and any("Network B" in s for s in seen)
