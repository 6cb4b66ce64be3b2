"""One schema: the codebook, the loaded tables and the vocabularies agree with data/schema.toml."""
import shutil

import pandas as pd
import pytest

import brink
from brink import vocab
from brink.cli import main
from brink.dataset.codebook import BEGIN, END, render
from brink.dataset.schema import load_schema
from brink.dataset.vocabularies import terms
from kitpaths import DATA

SCHEMA = load_schema(DATA)


def test_codebook_agrees_with_the_schema():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    generated = readme.split(BEGIN, 1)[1].split(END, 1)[0].lstrip("\n")
    assert generated == render(SCHEMA), "data/README.md is out of date: run brink codebook"


def test_codebook_check_fails_when_the_schema_changes(tmp_path, capsys):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    schema = copy / "schema.toml"
    schema.write_text(schema.read_text(encoding="utf-8").replace('meaning = "`EV01`…"', 'meaning = "`E01`…"'),
                      encoding="utf-8")
    assert main(["codebook", "--check", "--data", str(copy)]) == 1
    assert main(["codebook", "--data", str(copy)]) == 0
    assert "| `event_id` | text | required, unique | `E01`… |" in (copy / "README.md").read_text(encoding="utf-8")
    assert main(["codebook", "--check", "--data", str(copy)]) == 0


@pytest.mark.parametrize("name", sorted(SCHEMA.tables))
def test_loaded_columns_are_the_schema_columns(name):
    t = SCHEMA.tables[name]
    table = getattr(brink, name)() if hasattr(brink, name) else brink.tables._get(name)
    declared = [c.public or c.name for c in t.columns if c.loaded] + [c.name for c in t.derived]
    assert sorted(table.columns) == sorted(declared)
    if t.order:
        assert list(table.columns) == list(t.order)
    for c in t.columns:
        if not c.loaded:
            continue
        col = table[c.public or c.name]
        if c.vocab:
            assert isinstance(col.dtype, pd.CategoricalDtype)
            assert list(col.cat.categories) == terms(DATA, c.vocab)
        else:
            assert str(col.dtype) == {"text": "string", "date": "datetime64[ns]", "instant": "datetime64[ns, UTC]",
                                      "int": "Int64", "number": "Float64"}[c.type], c.name


def test_vocabularies_come_from_the_data_folder(broken_data):
    path = broken_data.root / "vocabularies" / "actors.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Kurdistan Regional Government,\n", encoding="utf-8")
    assert vocab.ACTORS[-1] == "Kurdistan Regional Government"
    assert list(brink.events()["actor"].cat.categories)[-1] == "Kurdistan Regional Government"
    zones = broken_data.root / "vocabularies" / "time_zones.csv"
    zones.write_text("name,zone,meaning\nRiyadh,Asia/Riyadh,\n", encoding="utf-8")
    assert vocab.time_zones() == {"Riyadh": "Asia/Riyadh"}


def test_special_cases_live_in_the_data():
    """The policy term's speaker is an organisation row, not a name allowed in code."""
    q = brink.quotes()
    org = set(brink.organisations()["organisation"])
    people = set(brink.people()["person"])
    assert set(q["speaker"]) <= people | org and "Trump administration" in org
    assert "Trump administration" not in people


def test_a_speaker_nobody_declared_is_named(broken_data):
    broken_data("quotes.csv", 1, "speaker", "President Trump")
    with pytest.raises(brink.DataError) as err:
        brink.quotes()
    assert (err.value.row, err.value.column) == (1, "speaker")
    assert "'President Trump' names no known people or organisations id" in str(err.value)


def test_lessons_type_no_data_in():
    import subprocess
    import sys

    from kitpaths import KIT
    done = subprocess.run([sys.executable, str(KIT / "scripts" / "adapt_lessons.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
