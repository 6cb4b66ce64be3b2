"""A newcomer follows docs/annotators-guide.md: every command works as written and the folder checks clean."""
import hashlib

import pandas as pd

from guide import GUIDE, follow
from kitpaths import KIT, PRACTICE_ID


def test_the_practice_text_is_labelled_as_made_up():
    text = (KIT / "docs" / "examples" / "practice-source.txt").read_text(encoding="utf-8")
    assert text.startswith("TEST SOURCE written for Brink's test suite and annotators' guide, not a real publication")
    digest = hashlib.sha256((KIT / "docs" / "examples" / "practice-source.txt").read_bytes()).hexdigest()
    assert PRACTICE_ID == f"003_{digest[:16]}"


def test_following_the_guide_adds_a_clean_fourth_source(tmp_path, monkeypatch):
    ran = follow(tmp_path)
    guide = GUIDE.read_text(encoding="utf-8")
    outputs = {cmd.split()[1] + (" " + cmd.split()[2] if cmd.startswith("brink source") else ""): out
               for cmd, _, out in ran if cmd.startswith("brink ")}
    assert f"added {PRACTICE_ID}" in outputs["source add"] and PRACTICE_ID in guide
    find = next(out for cmd, _, out in ran if cmd == 'brink source find 003 "about 15 missiles"')
    assert f"prints `{find.strip()}`" in guide            # the guide states the output the command gives
    several = next(out for cmd, code, out in ran if cmd == 'brink source find 003 "practice text"')
    assert several.startswith("3 matches in ") and "three times" in guide
    assert "offsets written" in outputs["source fill"]
    assert outputs["check"].strip().startswith("mydata: no problems (4 sources, ")

    import brink
    monkeypatch.setenv("BRINK_DATA", str(tmp_path / "mydata"))
    src = brink.sources().set_index("source_id")
    assert src.loc[PRACTICE_ID, "label"] == "003 practice text"
    assert src.loc[PRACTICE_ID, "published"] == pd.Timestamp("2020-01-20")
    assert pd.isna(src.loc[PRACTICE_ID, "outlet"])
    r = brink.event_reports()
    assert set(r[r.source_id == PRACTICE_ID]["event_id"]) == {"EV15", "EV21", "EV90"}
    body = brink.source_text(PRACTICE_ID)
    for table, col in [(r, "evidence"), (brink.quotes(), "text"), (brink.claims(), "text"),
                       (brink.discrepancies(), "reported")]:
        rows = table[table.source_id == PRACTICE_ID]
        assert len(rows) >= 1
        for row in rows.itertuples():
            assert body[row.start:row.end] == getattr(row, col)
    c = brink.claims().set_index("claim_id")
    assert (c.loc["C191", "p_low"], c.loc["C191", "p_high"]) == (0.55, 0.8)
    # the kit's own folder is untouched
    assert "003" not in "".join(pd.read_csv(KIT / "data" / "annotations" / "sources.csv")["source_id"])
