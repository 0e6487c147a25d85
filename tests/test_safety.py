"""Safe by construction (issue 14, part 4): what a user passes is data, never code, and never a path.

- YAML from a user (pattern and actor files) is read without Python tags: a file that asks to run a command
  is an error naming its file and line, and the command does not run.
- Every mistake in a user's pattern, actor or boilerplate file is reported with the file and the line.
- The only pickle Tacitus reads is the spool of its own batch, in an unnamed temporary file only this
  process can open (SECURITY.md).
- Output names built from stored values (the months of a Parquet export) stay inside the chosen folder.
- SQL: values are always bound parameters; the few statements written as f-strings interpolate only names
  from fixed sets and integers (reviewed below, so a new interpolation fails this test until reviewed).
"""

from __future__ import annotations

import ast
import os
import re
import stat
from pathlib import Path

import pytest

from tacitus.errors import InvalidRuleFile

SRC = Path(__file__).resolve().parents[1] / "src" / "tacitus"


# -- user files: never code, and every error with its file and line ------------------------------------------

EVIL_YAML = '- !!python/object/apply:os.system ["touch {marker}"]\n'


def _patterns(path: Path):  # noqa: ANN202 - the loaded patterns
    from tacitus.components.events.patterns import load_patterns

    return load_patterns(str(path))


def _actors(path: Path):  # noqa: ANN202
    from tacitus.kb.user import load_user_file

    return load_user_file(path)


def _boilerplate(path: Path):  # noqa: ANN202
    from tacitus.ingest.boilerplate import load_rules

    return load_rules(path)


@pytest.mark.parametrize("loader", [_patterns, _actors], ids=["patterns", "actors"])
def test_a_yaml_file_cannot_run_code(tmp_path: Path, loader) -> None:  # noqa: ANN001
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(EVIL_YAML.format(marker=marker), encoding="utf-8")
    with pytest.raises(InvalidRuleFile, match=rf"^{re.escape(str(path))}:1: "):
        loader(path)
    assert not marker.exists()


# (loader, file name, content, the line the error must name); each line number was counted by hand
BROKEN_FILES = [
    (_patterns, "p.yaml", "- id: a\n  code: '042'\n  verbs: [visit\n", 4),  # unclosed list: seen at the end
    (
        _patterns,
        "p.yaml",
        "- id: a\n  code: '042'\n  verbs: [visit]\n- id: b\n  code: '9x'\n  verbs: [x]\n",
        4,
    ),
    (_patterns, "p.yaml", "- id: a\n  code: '042'\n  verbs: [visit]\n  verbz: [x]\n", 1),
    (_patterns, "p.yaml", "id: a\ncode: '042'\n", 1),  # not a list
    (
        _patterns,
        "p.json",
        '{"patterns": [\n{"id": "a", "code": "042", "verbs": ["v"]},\n{"id": "b", "cod": 1}\n]}',
        3,
    ),
    (_patterns, "p.json", '{"patterns": [\n{"id": "a",\n"code": }\n]}', 3),
    (_patterns, "p.json", '{"about": "x",\n"sets": {"noamp": ["a"]},\n"patterns": []}', 2),
    (_actors, "a.yaml", "- name: Foo Bar\n  code: USAGOV\n- name: Baz\n  code: NOTACODE\n", 4),
    (_actors, "a.yaml", "- name: Foo\n  code: [USAGOV\n", 3),
    (_actors, "a.yaml", "- name: Foo\n  code: USAGOV\n  start: yesterday\n", 3),
    (_actors, "a.yaml", "name: Foo\n", 1),
    (_boilerplate, "b.tsv", "id\tkind\twhere\tregex\tcomment\nr1\tcredit\tlast\t(unclosed\tx\n", 2),
    (_boilerplate, "b.tsv", "id\tkind\twhere\tregex\tcomment\nr1\tline\tend\tx\tx\n", 2),
    (_boilerplate, "b.tsv", "# rules\nid\tkind\twhere\tpattern\n", 2),
    (_boilerplate, "b.tsv", "id\tkind\twhere\tregex\nr1\tcredit\tlast\tx\nr1\tcredit\tlast\ty\n", 3),
]


@pytest.mark.parametrize(("loader", "name", "content", "line"), BROKEN_FILES)
def test_every_mistake_in_a_user_file_names_its_file_and_line(
    tmp_path: Path,
    loader,  # noqa: ANN001
    name: str,
    content: str,
    line: int,
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidRuleFile) as raised:
        loader(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}"), message
    assert "\n" not in message, message  # one line, as the CLI prints it


# -- the batch spool: the one pickle, ours and private ---------------------------------------------------------


def test_the_batch_spool_is_an_unnamed_file_only_its_owner_can_read(monkeypatch) -> None:  # noqa: ANN001
    import tempfile

    from tacitus.ingest import prepare
    from tacitus.model import Article

    seen = []
    real = tempfile.TemporaryFile

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        handle = real(*args, **kwargs)
        seen.append(os.fstat(handle.fileno()))
        return handle

    monkeypatch.setattr(prepare.tempfile, "TemporaryFile", spy)
    preparer = prepare.Preparer(dedup=True, learn=True)
    items = list(
        preparer.run([Article(text=f"Story {n} about the port strike.", id=str(n)) for n in range(3)])
    )
    assert len(items) == 3 and len(seen) == 1
    info = seen[0]
    assert info.st_nlink == 0, "the spool has a name another process could open"
    assert stat.S_IMODE(info.st_mode) & 0o077 == 0, oct(info.st_mode)
    assert info.st_uid == os.getuid()


def test_no_module_unpickles_or_evaluates_outside_the_reviewed_places() -> None:
    """pickle.load/loads, eval, exec and unsafe YAML loaders appear only where SECURITY.md says why."""
    reviewed = {
        ("ingest/prepare.py", "pickle.load"),  # the batch spool: an unnamed 0600 file of this run's
        ("ingest/spill.py", "pickle.loads"),  # the run's own keys, in a private SQLite file deleted on close
    }
    found = set()
    unsafe = re.compile(
        r"\b(pickle\.loads?|marshal\.loads?|shelve\.open|eval|exec|yaml\.load|yaml\.unsafe_load|"
        r"typ=[\"']unsafe[\"'])\s*\("
    )
    for path in SRC.rglob("*.py"):
        for match in unsafe.finditer(path.read_text(encoding="utf-8")):
            found.add((path.relative_to(SRC).as_posix(), match.group(1)))
    assert found <= reviewed, found - reviewed


# -- output names from stored values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month"),
    [
        ("2017-12-14", "2017-12"),
        ("2017", "2017"),
        (None, "__HIVE_DEFAULT_PARTITION__"),
        ("/../../x", "__HIVE_DEFAULT_PARTITION__"),
        ("../etc", "__HIVE_DEFAULT_PARTITION__"),
        ("2017-1/", "__HIVE_DEFAULT_PARTITION__"),
        ("..\\..\\x", "__HIVE_DEFAULT_PARTITION__"),
    ],
)
def test_a_parquet_partition_is_named_by_digits_only(day: str | None, month: str) -> None:
    from tacitus.export.tables import month_name

    assert month_name(day) == month


def test_a_hostile_stored_day_is_exported_inside_the_chosen_folder(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import sqlalchemy as sa

    from tacitus.export import export
    from tacitus.model import Record
    from tacitus.store import open_store
    from tacitus.store.schema import articles

    db = tmp_path / "t.db"
    with open_store(db) as store:
        for n, day in enumerate(("2020-01-02", "2020-02-03")):
            store.write(Record(id=f"a{n}", text=f"Article {n} text.", published=day))
        with store.engine.begin() as connection:  # a day column edited by hand or by another tool
            connection.execute(
                sa.update(articles).where(articles.c.article_id == "a1").values(published_day="/../../x")
            )
    out = tmp_path / "out" / "articles"
    export(db, "articles", "parquet", out)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["month=2020-01/part-0.parquet", "month=__HIVE_DEFAULT_PARTITION__/part-0.parquet"]
    outside = [
        p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents and p.parent != tmp_path
    ]
    assert outside == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("t.db")) == ["out"]


# -- SQL: values are parameters --------------------------------------------------------------------------------

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|WHERE|VALUES)\b")

# Every expression interpolated into SQL text in src/ (migrations included), by file: names from fixed sets
# (tables, columns, index names chosen in code), placeholders, and integers passed through int(). Reviewed for
# issue 14; a new one fails here until someone checks that no value a user or an input gives reaches it.
REVIEWED_SQL = {
    # integers through int(); pk lists joined from int()
    "export/lookups.py": {
        "int(chars)",
        "_pk_list(article_pks)",
        "_pk_list(place_pks)",
        "_pk_list(cluster_pks)",
    },
    # the stage tables' names and columns are constants; marks, terms and scheme are placeholders
    "store/bands.py": {
        "table",
        "columns",
        "values",
        "gone",
        "terms",
        "scheme",
        "_STAGED",
        "_STAGED_PKS",
        "', '.join([mark] * len(rows[0]))",
    },  # fmt: skip
    # the word index's table (FULLTEXT, a fixed map); compiler.process renders bound parameters
    "store/fulltext.py": {
        "fts",
        "table",
        "compiler.process(phrase, **kw)",
        "compiler.process(pk, **kw)",
        "'+' if element.walk else ''",
    },  # fmt: skip
    "store/migrations/versions/0010_word_and_code_indexes.py": {"fts", "column", "table", "name", "suffix"},
    # the backfill of revision 0013: a constant (_LEAD_CHARS) and SQL fragments built in the file from fixed
    # column names ('source_code', 'target_code', 'p.name = events.place_name'); no value from a row or a user
    "store/migrations/versions/0013_event_gdelt_fields.py": {
        "_LEAD_CHARS",
        "condition",
        "_first_place('p.name = events.place_name')",
        "_in_sentence('source_code')",
        "_in_sentence('target_code')",
    },
    "ingest/spill.py": {"marks"},  # "?" placeholders, one per bound value
    # the batched candidate reads: table and columns are literals of the two callers, each where clause is
    # one of _event_reads' fixed clauses (or the quote read's) with "?" for every value, n an enumerate index
    "store/clusters.py": {"table", "columns", "where", "n"},
}


def _interpolations() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.JoinedStr):
                continue
            text = "".join(
                v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if not SQL_WORDS.search(text):
                continue
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    expr = ast.get_source_segment(source, value.value) or ""
                    found.setdefault(path.relative_to(SRC).as_posix(), set()).add(expr)
    return found


def test_sql_text_interpolates_only_reviewed_names() -> None:
    """An f-string holding SQL words interpolates only what REVIEWED_SQL lists (a message that quotes SQL
    words is found too: review it and add it)."""
    found = _interpolations()
    unreviewed = {f: exprs - REVIEWED_SQL.get(f, set()) for f, exprs in found.items()}
    # a failure names the file and the expression: check that only a fixed name, a placeholder or an int()
    # reaches it, then add it to REVIEWED_SQL
    assert not {f: e for f, e in unreviewed.items() if e}, unreviewed


def test_hostile_values_are_data(tmp_path: Path) -> None:
    from tacitus.model import Record
    from tacitus.store import open_store

    hostile = "x'); DROP TABLE articles; --"
    with open_store(tmp_path / "t.db") as store:
        assert (
            store.write(Record(id=hostile, text="A story. " + hostile, title=hostile, source=hostile))
            == "inserted"
        )
        assert store.events(actor=hostile) == []
        assert store.quotes(actor=hostile) == []
        assert store.actors(actor=hostile) == []
        record = store.get_record(hostile)
        assert record is not None and record.title == hostile
        assert store.summary()["articles"] == 1
