"""The source texts are the ground truth: kept byte for byte, with their bodies where the codebook says."""
import csv
import hashlib

import brink
from kitpaths import DATA


def test_texts_are_byte_for_byte_as_received():
    sums = dict(line.split()[::-1] for line in (DATA / "sources" / "SHA256SUMS").read_text().splitlines())
    assert len(sums) == 3
    for name, digest in sums.items():
        assert hashlib.sha256((DATA / "sources" / name).read_bytes()).hexdigest() == digest, name


def test_texts_keep_typographic_quotes():
    raw = (DATA / "sources" / "000_817cee62a98404b2.txt").read_text(encoding="utf-8")
    assert "“Iran will be held" in raw and "New Year’s Eve" in raw


def test_file_names_are_source_ids():
    ids = list(brink.sources()["source_id"])
    assert ids == sorted(p.stem for p in (DATA / "sources").glob("*.txt"))


def test_metadata_line_is_not_body_but_gives_the_date():
    raw = (DATA / "sources" / "001_f25bed13f48e0245.txt").read_text(encoding="utf-8")
    body = brink.source_text("001_f25bed13f48e0245")
    assert raw.startswith(" date 2020-01-11 ")
    assert body.startswith("The hours ticked by") and "date 2020-01-11" not in body
    assert raw.endswith(body)
    src = brink.sources().set_index("source_id")
    assert str(src.loc["001_f25bed13f48e0245", "published"].date()) == raw.split()[1]


def test_page_furniture_is_not_body():
    body = brink.source_text("002_aa9adbf77d299f0c")
    assert body.endswith("too horrific to contemplate.")
    assert "Comments" not in body


def test_body_bounds_cover_the_rest_of_each_file():
    with open(DATA / "annotations" / "sources.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            raw = (DATA / "sources" / r["file"]).read_text(encoding="utf-8")
            left, right = raw[:int(r["body_start"])], raw[int(r["body_end"]):]
            assert left in ("", " date 2020-01-11 ")
            assert right in ("", "\n\nComments")


def test_unknown_source_id_is_a_clear_error():
    import pytest
    with pytest.raises(KeyError, match="no source 'nope'"):
        brink.source_text("nope")
