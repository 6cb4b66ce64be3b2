"""`brink source add`, `find` and `fill`: a text copied in byte for byte and registered, or nothing written."""
import hashlib

import pytest

from brink.cli import main
from kitpaths import DATA, KIT, PRACTICE_ID

PRACTICE = KIT / "docs" / "examples" / "practice-source.txt"
S000 = "000_817cee62a98404b2"


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err.strip()


@pytest.fixture
def folder(broken_data):
    return broken_data.root


def add(folder, *extra, file=PRACTICE):
    return ["source", "add", str(file), "--data", str(folder), "--title", "A practice account of the January crisis",
            "--published", "2020-01-20", *extra]


def test_add_copies_byte_for_byte_and_registers(folder, capsys):
    code, out, err = run(capsys, *add(folder, "--outlet", "Brink practice desk", "--basis", "outlet=context",
                                      "--cite", "outlet=https://example.org/practice"))
    assert code == 0, err
    assert out.startswith(f"added {PRACTICE_ID}: ")
    copy = folder / "sources" / f"{PRACTICE_ID}.txt"
    assert copy.read_bytes() == PRACTICE.read_bytes()
    digest = hashlib.sha256(PRACTICE.read_bytes()).hexdigest()
    assert (folder / "sources" / "SHA256SUMS").read_text().splitlines()[-1] == f"{digest}  {PRACTICE_ID}.txt"
    sources = (folder / "annotations" / "sources.csv").read_text(encoding="utf-8").splitlines()
    assert sources[-1] == f"{PRACTICE_ID},{PRACTICE_ID}.txt,0,{len(PRACTICE.read_text(encoding='utf-8'))},"
    fields = (folder / "annotations" / "source_fields.csv").read_text(encoding="utf-8").splitlines()[-6:]
    title_at = PRACTICE.read_text(encoding="utf-8").index("A practice account")
    assert fields == [
        f"{PRACTICE_ID},title,A practice account of the January crisis,stated,A practice account of the January crisis,"
        f"{title_at},{title_at + 40}",
        f"{PRACTICE_ID},outlet,Brink practice desk,context,https://example.org/practice,,",
        f"{PRACTICE_ID},published,2020-01-20,stated,2020-01-20,{PRACTICE.read_text(encoding='utf-8').index('2020-01-20')},"
        f"{PRACTICE.read_text(encoding='utf-8').index('2020-01-20') + 10}",
        f"{PRACTICE_ID},genre,,not stated,,,",
        f"{PRACTICE_ID},authors,,not stated,,,",
        f"{PRACTICE_ID},newsroom,,not stated,,,",
    ]
    assert run(capsys, "check", str(folder))[0] == 0


@pytest.mark.parametrize("case, argv, message", [
    ("twice", None, f"this text is already in the data folder as {PRACTICE_ID}.txt (same SHA-256); a text is added once"),
    ("latin-1", None, "not UTF-8: byte 0xe9 at byte offset 5 cannot be decoded — save the file as UTF-8"),
    ("date", ["--published", "20 January 2020"], "published: '20 January 2020' is not a date — write it as YYYY-MM-DD"),
    ("genre", ["--genre", "blog post"], "genre: 'blog post' is not in the vocabulary (news analysis, narrative "
     "reconstruction, policy statement) — add it to vocabularies/genres.csv first, with its meaning"),
    ("context", ["--outlet", "X", "--basis", "outlet=context"], "--basis outlet=context needs --cite outlet=URL"),
    ("not in text", ["--authors", "Nobody Real"], "authors: 'Nobody Real' is not in the text verbatim"),
    ("twice in body", ["--genre", "news analysis", "--basis", "genre=inferred", "--support", "genre=practice text"],
     "genre: the support 'practice text' occurs 3 times in the body"),
])
def test_a_failed_add_leaves_the_folder_byte_identical(folder, capsys, tmp_path, case, argv, message):
    file = PRACTICE
    if case == "twice":
        assert run(capsys, *add(folder))[0] == 0
    if case == "latin-1":
        file = tmp_path / "latin.txt"
        file.write_bytes("Une dépêche sur la crise".encode("latin-1"))
    before = snapshot(folder)
    code, out, err = run(capsys, *add(folder, *(argv or []), file=file))
    assert code != 0 and out == ""
    assert message in err and "\n" not in err and "Traceback" not in err
    assert snapshot(folder) == before


def test_an_add_that_would_break_the_folder_writes_nothing(folder, capsys):
    """Validated in a copy first: a source id the schema's pattern rejects stops the add."""
    from brink.dataset.adding import Field, SourceError, add_source
    before = snapshot(folder)
    with pytest.raises(SourceError, match="annotations/sources.csv:4:source_id: 'practice' is not of the form"):
        add_source(folder, PRACTICE, {"title": Field("A practice account of the January crisis")}, source_id="practice")
    assert snapshot(folder) == before


def test_find_one_several_none(capsys, monkeypatch):
    monkeypatch.setenv("BRINK_DATA", str(DATA))
    assert run(capsys, "source", "find", "000", "more than a dozen missiles") == (0, "1156 1182\n", "")
    code, out, _ = run(capsys, "source", "find", S000, "Suleimani")
    lines = out.splitlines()
    assert code == 1 and lines[0] == f"{len(lines) - 1} matches in {S000}; quote more words, or write the start of the one you mean:"
    assert lines[1].startswith("611 620  …") and "[Suleimani]" in lines[1]
    code, out, _ = run(capsys, "source", "find", "000", "sixteen missiles")
    assert code == 1 and out.startswith(f"absent: 'sixteen missiles' is not in the body of {S000} verbatim")
    code, _, err = run(capsys, "source", "find", "009", "x")
    assert code == 1 and err.startswith("brink: '009' names no source; known: 000_")


def test_fill_writes_offsets_once_found_and_reports_the_rest(folder, capsys):
    path = folder / "annotations" / "quotes.csv"
    original = path.read_text(encoding="utf-8")
    emptied = original.replace(",364,386", ",,").replace(",1772,1785", ",,")
    assert emptied != original
    path.write_text(emptied, encoding="utf-8")
    assert run(capsys, "check", str(folder))[0] == 1
    code, out, _ = run(capsys, "source", "fill", "--check", "--data", str(folder))
    assert code == 1 and "annotations/quotes.csv: 2 offsets missing" in out
    assert path.read_text(encoding="utf-8") == emptied
    code, out, _ = run(capsys, "source", "fill", "--data", str(folder))
    assert code == 0 and "annotations/quotes.csv: 2 offsets written" in out
    assert path.read_text(encoding="utf-8") == original          # byte for byte what the annotator had
    # a span that occurs several times is left for the annotator, with every place listed
    disc = folder / "annotations" / "discrepancies.csv"
    assert ",wording,,34,43\n" in disc.read_text(encoding="utf-8")
    disc.write_text(disc.read_text(encoding="utf-8").replace(",wording,,34,43\n", ",wording,,,\n"), encoding="utf-8")
    code, out, _ = run(capsys, "source", "fill", "--data", str(folder))
    assert code == 1 and "start: the span occurs 5 times in 002_aa9adbf77d299f0c (at 34:43, 143:152" in out


def test_fields_left_out_are_not_stated_and_the_folder_stays_clean(folder, capsys):
    code, _, err = run(capsys, "source", "add", str(PRACTICE), "--data", str(folder),
                       "--title", "A practice account of the January crisis")
    assert code == 0, err
    fields = (folder / "annotations" / "source_fields.csv").read_text(encoding="utf-8").splitlines()[-6:]
    assert fields[2] == f"{PRACTICE_ID},published,,not stated,,,"
    assert run(capsys, "check", str(folder))[0] == 0
