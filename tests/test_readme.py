"""Every example of the README runs as written: the core example on its own, the curl and
httpx examples against a live server (its port in place of the README's 8000)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import serve

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BASE = "http://127.0.0.1:8000"
# (the prose before the block, the language, the code) for every fenced block.
BLOCKS = [
    (m["before"], m["lang"], m["code"])
    for m in re.finditer(
        r"(?P<before>(?:[^\n]+\n)*)\n```(?P<lang>\w*)\n(?P<code>.*?)```", README, re.S
    )
]
PYTHON = [code for _, lang, code in BLOCKS if lang == "python"]
CURL = [code for _, lang, code in BLOCKS if lang == "sh" and "curl " in code]


def run(cmd: list[str], cwd: Path) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve({"BACKPROP_LENS_STORE": "memory://"}) as server:
        yield server.url


def test_the_readme_has_the_examples_this_file_runs() -> None:
    assert len(PYTHON) == 2  # the core example and the httpx one
    assert len(CURL) == 2
    assert sum(BASE not in code for code in PYTHON) == 1


def test_every_python_example_says_which_interpreter_runs_it() -> None:
    for before, lang, code in BLOCKS:
        if lang == "python":
            assert ".venv/bin/python" in before, code[:80]


def test_the_core_example_runs_as_written(tmp_path: Path) -> None:
    (code,) = [c for c in PYTHON if BASE not in c]
    out = run([sys.executable, "-c", code], tmp_path)
    assert re.search(r"max relative error \d", out)
    assert "train accuracy" in out


def test_the_httpx_example_runs_against_a_live_server(url: str, tmp_path: Path) -> None:
    (code,) = [c for c in PYTHON if BASE in c]
    out = run([sys.executable, "-c", code.replace(BASE, url)], tmp_path)
    assert re.search(r"^loss [\d.]+ -> [\d.]+$", out, re.M)


def documents(out: str) -> list[object]:
    """The JSON documents printed one after another."""
    decoder, docs, at = json.JSONDecoder(), [], 0
    while at < len(out.rstrip()):
        doc, at = decoder.raw_decode(out, at)
        docs.append(doc)
        at += len(out[at:]) - len(out[at:].lstrip())
    return docs


def test_the_curl_examples_run_against_a_live_server_and_print_formatted_json(
    url: str, tmp_path: Path
) -> None:
    outputs = []
    for code in CURL:
        assert code.count("| python3 -m json.tool") == code.count("curl -s ") - code.count("$(")
        out = run(["bash", "-euo", "pipefail", "-c", code.replace(BASE, url)], tmp_path)
        docs = documents(out)
        assert docs and all(isinstance(d, dict) and "detail" not in d for d in docs), out[:400]
        assert all(line == line.rstrip() and not line.startswith('{"') for line in out.splitlines())
        outputs.append((out, docs))
    (backprop, (result,)), (_, (step, explain)) = outputs
    assert set(result) >= {"loss", "probs", "predictions", "layers"}
    assert set(step) >= {"loss_before", "loss_after", "layers"}
    assert abs(explain["total"] - step["layers"][0]["dW"][1][3]) < 1e-12
    # The output the README shows is how the first example's output really begins (to 12
    # digits: the last digit of a float may differ between NumPy builds).
    shown = next(code for _, lang, code in BLOCKS if lang == "text")
    assert rounded(backprop).startswith(rounded(shown))


def rounded(text: str) -> str:
    return re.sub(r"-?\d+\.\d+(?:e-?\d+)?", lambda m: f"{float(m.group()):.12g}", text)


def test_the_readme_cites_the_lecture_note_not_a_path_outside_the_repository() -> None:
    assert "shared/seed" not in README
    assert "딥러닝 구조에서 사용되는 활성함수와 역전파 알고리즘" in README
