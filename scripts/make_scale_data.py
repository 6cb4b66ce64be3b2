"""Generate a large, valid data folder to measure `brink check` on (generated texts, not real ones).

    python scripts/make_scale_data.py OUT [--sources 200] [--rows 20000]

OUT gets the kit's schema.toml and vocabularies, ``--sources`` generated texts (each labelled
as generated for the benchmark), and about ``--rows`` annotation rows spread over the tables
in the proportions of the kit's own data, every span at its offsets. `brink check OUT` passes.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sys
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
#: share of the annotation rows per table (about the kit's own proportions)
SHARES = {"events": 0.12, "event_reports": 0.30, "quotes": 0.16, "claims": 0.22, "claim_links": 0.08,
          "discrepancies": 0.07}
LABEL = "GENERATED TEXT for Brink's scale benchmark, not a real publication."


def _write(path: Path, header: list, rows) -> int:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        n = 0
        for r in rows:
            w.writerow(r)
            n += 1
    return n


def generate(out: Path, sources: int = 200, rows: int = 20000) -> dict:
    """Write a data folder with ``sources`` texts and about ``rows`` annotation rows; return rows per table."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "annotations").mkdir(parents=True)
    (out / "sources").mkdir()
    shutil.copy(KIT / "data" / "schema.toml", out / "schema.toml")
    shutil.copytree(KIT / "data" / "vocabularies", out / "vocabularies")
    counts = {name: max(1, int(rows * share)) for name, share in SHARES.items()}
    n_ev, n_rep, n_q, n_c, n_links, n_d = (counts[k] for k in SHARES)
    per_source = -(-(n_rep + n_q + n_c + n_d) // sources) + 1
    ids = [f"{i:03d}_" if i < 1000 else f"{i}_" for i in range(sources)]
    sentences, src_rows, sums, fields = {}, [], [], []
    for i in range(sources):
        lines = [LABEL, f"Title of generated source {i}", ""]
        spans = []
        at = sum(len(x) + 1 for x in lines)
        for k in range(per_source):
            s = f"Generated sentence {k} of source {i} says that something happened on day {k % 28 + 1}."
            spans.append((s, at + 1))   # the words between the quotation marks: a quote's span stands between them
            lines.append(f"“{s}”")
            at += len(s) + 3
        text = "\n".join(lines) + "\n"
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        sid = f"{i % 1000:03d}_{digest[:16]}"
        ids[i] = sid
        (out / "sources" / f"{sid}.txt").write_bytes(text.encode("utf-8"))
        sums.append(f"{digest}  {sid}.txt")
        src_rows.append([sid, f"{sid}.txt", 0, len(text), LABEL])
        title = f"Title of generated source {i}"
        t0 = text.index(title)
        fields += [[sid, "title", title, "stated", title, t0, t0 + len(title)],
                   [sid, "outlet", "", "not stated", "", "", ""],
                   [sid, "published", f"2020-01-{i % 28 + 1:02d}", "context", "https://example.org/generated", "", ""],
                   [sid, "genre", "news analysis", "context", "https://example.org/generated", "", ""],
                   [sid, "authors", "", "not stated", "", "", ""]]
        sentences[sid] = spans
    (out / "sources" / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    made = {"sources": _write(out / "annotations" / "sources.csv", ["source_id", "file", "body_start", "body_end", "note"], src_rows),
            "source_fields": _write(out / "annotations" / "source_fields.csv",
                                    ["source_id", "field", "value", "basis", "support", "start", "end"], fields)}
    cursor = {sid: 0 for sid in ids}

    def span(j):
        sid = ids[j % sources]
        s, at = sentences[sid][cursor[sid]]
        cursor[sid] += 1
        return sid, s, at, at + len(s)

    types = ["ASSAULT", "THREATEN", "CONSULT", "DELIBERATE", "MOVEMENT", "PROTEST"]
    actors = ["United States", "Iran", "Unattributed"]
    made["events"] = _write(out / "annotations" / "events.csv",
                            ["event_id", "role", "date", "date_end", "date_precision", "date_basis", "date_note",
                             "time_stated", "time_basis", "actor", "target", "event_type", "description", "location",
                             "country", "killed", "killed_qualifier", "injured", "injured_qualifier", "context_cite"],
                            ([f"EV{e:05d}", {0: "airport strike", 1: "missile strike"}.get(e, ""),
                              f"2020-01-{e % 28 + 1:02d}", f"2020-01-{e % 28 + 1:02d}", "day", "stated",
                              "", "2020-01-03T00:47+03:00" if e % 10 == 0 else "", "stated" if e % 10 == 0 else "",
                              actors[e % 3], "", types[e % len(types)], f"Generated event {e}", "", "",
                              e % 7 if e % 2 else "", "exactly" if e % 2 else "", "", "", ""] for e in range(n_ev)))

    def reports():
        for j in range(max(n_rep, n_ev)):
            sid, s, a, b = span(j)
            yield [f"EV{j % n_ev:05d}", sid, s, a, b]
    made["event_reports"] = _write(out / "annotations" / "event_reports.csv",
                                   ["event_id", "source_id", "evidence", "start", "end"], reports())
    made["people"] = _write(out / "annotations" / "people.csv", ["person", "role", "spellings", "basis", "context_cite"],
                            ([f"Person {p}", "generated", f"Person {p}", "stated", ""] for p in range(100)))
    made["organisations"] = _write(out / "annotations" / "organisations.csv",
                                   ["organisation", "role", "spellings", "basis", "context_cite"],
                                   [["Generated agency", "generated", "Generated agency", "stated", ""]])

    def quotes():
        for j in range(n_q):
            sid, s, a, b = span(j)
            yield [f"Q{j:05d}", f"Person {j % 100}", "generated", "statement", "2020-01-02", "stated", s, "direct",
                   "said", sid, "", a, b]
    made["quotes"] = _write(out / "annotations" / "quotes.csv",
                            ["quote_id", "speaker", "speaker_role", "medium", "date", "date_basis", "text", "kind", "cue",
                             "source_id", "note", "start", "end"], quotes())

    def claims():
        for j in range(n_c):
            sid, s, a, b = span(j)
            pred = j % 3 == 0
            yield [f"C{j:05d}", sid, "generated holder", "own", s, "prediction" if pred else "assessment", "generated",
                   "likely" if j % 2 else "", "ICD 203 term" if j % 2 else "", "unresolved: generated" if pred else "",
                   "", "", a, b]
    made["claims"] = _write(out / "annotations" / "claims.csv",
                            ["claim_id", "source_id", "holder", "voice", "text", "claim_type", "about", "estimative_term",
                             "band_basis", "outcome", "outcome_value", "outcome_event_id", "start", "end"], claims())
    made["claim_links"] = _write(out / "annotations" / "claim_links.csv", ["from_claim", "to_claim", "relation", "note"],
                                 ([f"C{j % n_c:05d}", f"C{(j + 1) % n_c:05d}", "supports" if j % 2 else "attacks", ""]
                                  for j in range(n_links)))

    def disc():
        for j in range(n_d):
            sid, s, a, b = span(j)
            yield [f"Generated topic {j}", f"EV{j % n_ev:05d}", sid, s, j, "exactly", "precision", "", a, b]
    made["discrepancies"] = _write(out / "annotations" / "discrepancies.csv",
                                   ["topic", "event_id", "source_id", "reported", "value", "qualifier", "relation",
                                    "note", "start", "end"], disc())
    made["readings"] = _write(out / "annotations" / "readings.csv", ["reading", "claim_id", "p", "outcome", "why"],
                              ([f"reading {k % 3}", f"C{k * 3 % n_c:05d}", "0.6", "", "generated"]
                               for k in range(max(1, n_c // 30))))
    # No PLOVER coding in the generated folder: the table is there (the schema asks for it), with no rows.
    made["plover"] = _write(out / "annotations" / "plover.csv", ["event_id", "mode", "context", "note"], [])
    made["guiding_questions"] = _write(out / "annotations" / "guiding_questions.csv", ["source_id", "move", "question"],
                                       [["", "sourcing", "Who wrote this generated text?"]])
    (out / "map").mkdir()
    sid, words = ids[0], sentences[ids[0]][0][0].split(" of source")[0]
    made["map_places"] = _write(out / "map" / "places.csv", ["place", "named_as", "source_id", "kind", "basis", "lat", "lon",
                                                         "coord_cite", "context_cite", "label_at"],
                            [["Generated place", words, sid, "city", "stated", "33.3", "44.4",
                              "https://example.org/generated", "", "right"]])
    return made


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--sources", type=int, default=200)
    p.add_argument("--rows", type=int, default=20000)
    a = p.parse_args(argv)
    made = generate(Path(a.out), a.sources, a.rows)
    print(f"{a.out}: {made['sources']} sources, {sum(made.values()) - made['sources']} annotation rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
