"""The kit says whose the source texts are: a licence for the kit, a rights statement and a citation for each text."""
import csv
import re

import yaml

from kitpaths import DATA, KIT


def source_ids():
    with open(DATA / "annotations" / "sources.csv", newline="", encoding="utf-8") as f:
        return [r["source_id"] for r in csv.DictReader(f)]


def test_licence_is_mit_and_leaves_the_texts_to_their_holders():
    text = (KIT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "does not cover the three source texts" in text and "data/RIGHTS.md" in text


def test_every_source_has_a_rights_row_naming_its_holder_and_an_address():
    rights = (DATA / "RIGHTS.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([0-9a-f_]+)` \|.*$", rights, re.M)}
    assert sorted(rows) == sorted(source_ids())
    for sid, row in rows.items():
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 4, f"{sid}: what / holder / where, in four cells"
        assert cells[2], f"{sid}: no rights holder"
        assert re.search(r"https?://", cells[3]), f"{sid}: no cited address"


def test_citation_file_cites_the_kit_and_each_source():
    cff = yaml.safe_load((KIT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software" and cff["license"] == "MIT"
    notes = " ".join(r.get("notes", "") for r in cff["references"])
    for sid in source_ids():
        assert sid in notes, f"CITATION.cff has no reference for {sid}"
