"""The README's Python example runs as written on every bundled sample, and on a record with an unresolved
speaker (the case that used to crash it)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tacitus import Quote, Record
from tacitus.jobs import sample_articles

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    example = [b for b in blocks if "tacitus.analyze(" in b]
    assert example, "README.md lost its tacitus.analyze example"
    return example[0]


def test_readme_example_runs_on_every_sample(tmp_path, monkeypatch):
    code = _python_example()
    monkeypatch.chdir(tmp_path)
    printed = 0
    for article in sample_articles():
        Path("story.txt").write_text(article.text, encoding="utf-8")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(code, "README.md", "exec"), {})
        lines = buf.getvalue().splitlines()
        assert all(" -> " in line for line in lines), (article.id, lines)
        printed += len(lines)
    assert printed >= 30  # the samples hold dozens of quotes: the loop really ran over them


def test_speaker_name_is_safe_on_unresolved_and_missing_speakers():
    text = "A spokesperson said the talks would go on. “We will stay,” it was said."
    record = Record(
        id="x",
        text=text,
        quotes=[
            Quote(id="q1", speaker=None, speaker_span=(0, 14), cue_span=(15, 19), content_span=(20, 42)),
            Quote(id="q2", speaker=None, speaker_span=None, cue_span=None, content_span=(44, 58)),
            Quote(id="q3", speaker="a9", speaker_span=(0, 14), cue_span=None, content_span=(20, 42)),
        ],
    )
    assert record.speaker_name(record.quotes[0]) == "A spokesperson"
    assert record.speaker_name(record.quotes[1]) is None
    assert record.speaker_name(record.quotes[2]) == "A spokesperson"  # an id with no actor: the words


@pytest.mark.parametrize("missing", [None, "a404"])
def test_actor_lookup_returns_none_rather_than_raising(missing):
    assert Record(id="x", text="t").actor(missing) is None
