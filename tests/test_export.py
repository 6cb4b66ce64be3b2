"""`brink export`: the Frictionless package (validated by frictionless itself), every span as a Web
Annotation (re-anchored and imported back), the PLOVER, ACLED and TimelineJS views; for the kit's data
and for a class's folder with a fourth source added by the annotators' guide."""
import csv
import io
import json
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout

import frictionless
import pytest

from brink.cli import main
from brink.export import events, export, open_folder, webannotations
from guide import follow
from kitpaths import DATA, PRACTICE_ID


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def kit_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "kit"
    code, shown, err = run("export", str(out), "--data", str(DATA))
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory):
    work = tmp_path_factory.mktemp("class")
    follow(work)
    return work / "mydata"


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def errors_of(package):
    report = frictionless.validate(str(package))
    return report, [e.type for task in report.tasks for e in task.errors] + [e.type for e in report.errors]


def test_the_kits_package_validates_with_no_error(kit_export):
    report, errors = errors_of(kit_export / "datapackage.json")
    assert errors == [] and report.valid
    assert report.stats["tasks"] == len(json.loads((kit_export / "datapackage.json").read_text())["resources"])


def test_a_class_folder_with_a_fourth_source_validates_and_carries_it(class_folder, tmp_path):
    code, shown, err = run("export", str(tmp_path / "out"), "--data", str(class_folder))
    assert code == 0, err
    report, errors = errors_of(tmp_path / "out" / "datapackage.json")
    assert errors == []
    sources = read_rows(tmp_path / "out" / "annotations" / "sources.csv")
    assert PRACTICE_ID in {r["source_id"] for r in sources}
    coll = json.loads((tmp_path / "out" / "annotations.jsonld").read_text())
    practice = [a for a in coll["first"]["items"] if PRACTICE_ID in a["target"]["source"]]
    exacts = {a["target"]["selector"][0]["exact"] for a in practice}
    assert "about 15 missiles" in exacts and "a practice crowd marched in a practice town" in exacts
    plover = read_rows(tmp_path / "out" / "views" / "plover.csv")
    assert "EV90" in {r["event_id"] for r in plover}  # a PROTEST: a PLOVER category, no mode coded


def test_package_is_generated_from_the_schema(kit_export):
    package = json.loads((kit_export / "datapackage.json").read_text())
    schema = open_folder(DATA).schema
    assert [r["name"] for r in package["resources"]] == list(schema.tables)
    for res in package["resources"]:
        t = schema.tables[res["name"]]
        header = next(csv.reader(open(kit_export / res["path"], encoding="utf-8")))
        assert [f["name"] for f in res["schema"]["fields"]] == [c.name for c in t.columns] == header
        assert res["schema"]["missingValues"] == [""]
    fields = {f["name"]: f for f in package["resources"][2]["schema"]["fields"]}
    assert package["resources"][2]["schema"]["primaryKey"] == ["event_id"]
    assert fields["date_precision"]["constraints"]["enum"] == ["day", "range", "month", "season", "year"]
    assert fields["killed"]["constraints"]["minimum"] == 0
    fd = next(r for r in package["resources"] if r["name"] == "source_fields")["schema"]
    assert fd["primaryKey"] == ["source_id", "field"]


@pytest.mark.parametrize("table,column,value,error", [
    ("event_reports", "event_id", "EV99", "foreign-key"),
    ("events", "date_precision", "fortnight", "constraint-error"),
    ("events", "event_id", "EV01", "primary-key"),
    ("claims", "outcome_value", "2", "constraint-error"),
    ("events", "date", "3 January", "type-error"),
])
def test_frictionless_finds_a_broken_cell_in_an_exported_package(kit_export, tmp_path, table, column, value, error):
    copy = tmp_path / "pkg"
    shutil.copytree(kit_export, copy)
    path = copy / "annotations" / f"{table}.csv"
    rows = read_rows(path)
    rows[1][column] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    report, errors = errors_of(copy / "datapackage.json")
    assert not report.valid and error in errors


def test_every_annotation_reanchors_exactly_and_imports_back_into_the_same_rows(kit_export):
    coll = json.loads((kit_export / "annotations.jsonld").read_text(encoding="utf-8"))
    texts = {f"sources/{p.name}": p.read_bytes().decode("utf-8") for p in (kit_export / "sources").glob("*.txt")}
    folder = open_folder(DATA)
    expected = list(webannotations.span_rows(folder))
    assert coll["total"] == len(coll["first"]["items"]) == len(expected) > 100
    for a in coll["first"]["items"]:
        assert a["@context"] == "http://www.w3.org/ns/anno.jsonld" and a["type"] == "Annotation"
        pos = next(s for s in a["target"]["selector"] if s["type"] == "TextPositionSelector")
        assert webannotations.anchor(a, texts) == (pos["start"], pos["end"]), a["id"]
    back = webannotations.rows_from_annotations(coll)
    for name, t in folder.schema.tables.items():
        if t.span:
            with_offsets = [r for r in read_rows(kit_export / t.file) if r["start"] != ""]
            assert back.get(name, []) == with_offsets, name
    assert coll["brink_left_out_without_offsets"] == sum(
        1 for r in read_rows(kit_export / "annotations" / "source_fields.csv") if r["start"] == "")


def test_a_moved_quote_is_found_by_its_affixes_and_a_changed_text_is_not_anchored(kit_export):
    coll = json.loads((kit_export / "annotations.jsonld").read_text(encoding="utf-8"))
    a = coll["first"]["items"][5]
    src = a["target"]["source"]
    text = (kit_export / src).read_bytes().decode("utf-8")
    pos = next(s for s in a["target"]["selector"] if s["type"] == "TextPositionSelector")
    shifted = {src: "xx" + text}
    assert webannotations.anchor(a, shifted) == (pos["start"] + 2, pos["end"] + 2)
    exact = a["target"]["selector"][0]["exact"]
    assert webannotations.anchor(a, {src: text.replace(exact, exact.upper())}) is None


def test_plover_view_uses_plovers_terms_and_its_crosswalk(kit_export):
    rows = read_rows(kit_export / "views" / "plover.csv")
    folder = open_folder(DATA)
    types = {e["event_id"]: e["event_type"] for e in folder.rows["events"]}
    kit_types = {r["term"] for r in folder.reference("vocabularies/event_types.csv") if r["family"] == "kit"}
    modes = {(r["event_type"], r["mode"]) for r in folder.reference("vocabularies/plover_modes.csv")}
    contexts = {r["context"] for r in folder.reference("vocabularies/plover_contexts.csv")}
    crosswalk = {r["cameo"]: r for r in folder.reference("vocabularies/cameo_plover.csv")}
    quads = {r["event_type"]: r["quad_code"] for r in folder.reference("vocabularies/plover_quads.csv")}
    assert {r["event_id"] for r in rows} == {e for e, t in types.items() if t not in kit_types}
    for r in rows:
        assert r["event"] == types[r["event_id"]] and r["quad_code"] == quads[r["event"]]
        assert all((r["event"], m) in modes for m in r["mode"].split("; ") if m)
        assert all(c in contexts for c in r["context"].split("; ") if c)
        if r["cameo"]:
            x = crosswalk[r["cameo"]]
            assert (x["event_type"], x["mode"], set(x["context"].split("; ")) - {""}) == \
                (r["event"], r["mode"], set(r["context"].split("; ")) - {""})
    by_id = {r["event_id"]: r for r in rows}
    assert by_id["EV16"]["cameo"] == "1056" and by_id["EV15"]["cameo_cue"] == ""  # ASSAULT: cues 18 and 19
    assert by_id["EV15"]["cameo_basis"] == "cue categories 18, 19"
    left = read_rows(kit_export / "views" / "left-out.csv")
    assert {r["event_id"] for r in left if r["view"] == "plover"} == {e for e, t in types.items() if t in kit_types}
    records = [json.loads(line) for line in open(kit_export / "views" / "plover.jsonl", encoding="utf-8")]
    assert next(r for r in records if r["event_id"] == "EV15")["mode"] == ["drone", "targeted"]


def test_a_mode_outside_its_event_types_modes_is_named(tmp_path):
    shutil.copytree(DATA, tmp_path / "d")
    path = tmp_path / "d" / "annotations" / "plover.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("EV19,troops", "EV19,drone"), encoding="utf-8")
    code, out, err = run("export", str(tmp_path / "out"), "--data", str(tmp_path / "d"))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "annotations/plover.csv" in err and "mode" in err and "'drone' is not a PLOVER mode of MOBILIZE" in err


def test_acled_view_holds_the_violent_events_under_acleds_names(kit_export):
    with open(kit_export / "views" / "acled.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == events.ACLED_FIELDS
    folder = open_folder(DATA)
    assault = {e["event_id"]: e for e in folder.rows["events"] if e["event_type"] == "ASSAULT"}
    left = {r["event_id"]: r["why"] for r in read_rows(kit_export / "views" / "left-out.csv") if r["view"] == "acled"}
    assert {r["event_id_cnty"] for r in rows} | set(left) == set(assault)
    for r in rows:
        e = assault[r["event_id_cnty"]]
        assert r["time_precision"] == ("1" if e["date_precision"] == "day" else "2")
        assert r["geo_precision"] in ("1", "3") and (r["latitude"] != "") == (r["geo_precision"] == "1")
        assert r["fatalities"] == e["killed"] and r["event_date"] == e["date"]
    assert "month" in left["EV01"] and "more than one country" in left["EV06"]


def test_timeline_sheet_has_the_templates_headers_and_links_each_slide_to_its_words(kit_export):
    with open(kit_export / "views" / "timelinejs.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time",
                                 "Display Date", "Headline", "Text", "Media", "Media Credit", "Media Caption",
                                 "Media Thumbnail", "Type", "Group", "Background"]
    assert rows[0]["Type"] == "title"
    reports = read_rows(DATA / "annotations" / "event_reports.csv")
    slides = {r["Media Credit"]: r for r in rows[1:]}
    assert set(slides) == {e["event_id"] for e in read_rows(DATA / "annotations" / "events.csv")}
    for eid, slide in slides.items():
        links = re.findall(r'<blockquote>“(.*?)”</blockquote><p>\d{3}, <a href="(sources/[^"#]+)#char=(\d+),(\d+)"',
                           slide["Text"], re.S)
        assert len(links) == sum(1 for r in reports if r["event_id"] == eid) > 0
        for words, file, s, e in links:
            assert (kit_export / file).read_bytes().decode("utf-8")[int(s):int(e)] == words
    assert slides["EV15"]["Display Date"] == "3 January 2020, 00:47 local time"
    assert (slides["EV04"]["Month"], slides["EV04"]["End Month"], slides["EV04"]["End Day"]) == ("9", "11", "30")


def test_export_refuses_a_folder_that_holds_something_else(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    code, out, err = run("export", str(tmp_path), "--data", str(DATA))
    assert code == 1 and "not empty and holds no earlier export" in err and err.count("\n") == 1
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_broken_data_folder_is_named_and_nothing_is_written(tmp_path, broken_data):
    broken_data("events.csv", 4, "date", "2019-13-01")
    code, out, err = run("export", str(tmp_path / "out"), "--data", str(broken_data.root))
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
    assert "events.csv" in err and "row 4" in err and "date" in err
    assert not (tmp_path / "out").exists()


def test_export_writes_a_new_package_and_leaves_its_input_alone(tmp_path):
    before = {p: p.read_bytes() for p in DATA.rglob("*") if p.is_file()}
    assert export(DATA, tmp_path / "x")["views/plover.csv"] == 20
    assert {p: p.read_bytes() for p in DATA.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("command", [["export", "{out}"], ["forecasts", "reveal", "{questions}", "--as-of", "2020-01-09",
                                                          "--out", "{out}"]])
@pytest.mark.parametrize("folder, said", [("missing", "no such folder"), ("empty", "not a data folder")])
def test_a_data_option_that_names_no_data_folder_is_a_usage_error(tmp_path, command, folder, said):
    # one rule for --data in every command (dataset.commands.data_folder): exit 2, one line naming the folder
    (tmp_path / "empty").mkdir()
    argv = [a.format(out=tmp_path / "out", questions=tmp_path / "q.csv") for a in command]
    code, out, err = run(*argv, "--data", str(tmp_path / folder))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert f"{tmp_path / folder}: {said}" in err
    assert not (tmp_path / "out").exists()
