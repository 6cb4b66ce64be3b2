"""The public tables: their columns, dtypes, coverage and the coding rules the codebook states."""
import subprocess
import sys

import pandas as pd
import pytest

import brink
from brink import vocab

API = {
    "sources": ["source_id", "title", "outlet", "published", "genre", "authors", "n_words"],
    "events": ["event_id", "date", "date_precision", "time_utc", "actor", "target", "event_type",
               "description", "location", "country", "killed", "injured"],
    "event_reports": ["event_id", "source_id", "evidence", "start", "end"],
    "quotes": ["quote_id", "speaker", "speaker_role", "medium", "date", "text", "kind", "cue",
               "source_id", "start", "end"],
    "claims": ["claim_id", "source_id", "text", "claim_type", "about", "estimative_term", "p_low",
               "p_high", "outcome"],
    "discrepancies": ["topic", "source_id", "reported", "value", "start", "end"],
}


@pytest.mark.parametrize("name", sorted(API))
def test_api_columns(name):
    table = getattr(brink, name)()
    assert isinstance(table, pd.DataFrame) and len(table) > 0
    missing = [c for c in API[name] if c not in table.columns]
    assert not missing


def test_real_dtypes():
    e = brink.events()
    assert str(e["date"].dtype) == "datetime64[ns]"
    assert str(e["time_utc"].dtype) == "datetime64[ns, UTC]"
    assert str(e["killed"].dtype) == "Int64" and str(e["injured"].dtype) == "Int64"
    assert isinstance(e["event_type"].dtype, pd.CategoricalDtype)
    assert list(e["event_type"].cat.categories) == vocab.EVENT_TYPES
    assert str(e["description"].dtype) == "string"
    s = brink.sources()
    assert str(s["n_words"].dtype) == "Int64" and str(s["published"].dtype) == "datetime64[ns]"
    q = brink.quotes()
    assert str(q["date"].dtype) == "datetime64[ns]" and q["date"].isna().any()
    c = brink.claims()
    assert str(c["p_low"].dtype) == "Float64"


def test_tables_are_copies():
    e = brink.events()
    e.loc[0, "description"] = "changed"
    e.drop(columns="actor", inplace=True)
    fresh = brink.events()
    assert fresh.loc[0, "description"] != "changed" and "actor" in fresh.columns


def test_import_changes_no_global_state():
    code = (
        "import pandas as pd, altair as alt, json;"
        "before=(alt.renderers.active, alt.data_transformers.active, pd.get_option('display.max_rows'));"
        "import brink;"
        "after=(alt.renderers.active, alt.data_transformers.active, pd.get_option('display.max_rows'));"
        "assert before==after, (before, after);"
        "import brink.tables as t; assert t._build.cache_info().currsize==0, 'import read data'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_coverage_includes_may_and_june_2019():
    e = brink.events()
    months = set(e["date"].dt.strftime("%Y-%m"))
    assert {"2019-05", "2019-06", "2019-12", "2020-01"} <= months
    may = e[e["date"].dt.strftime("%Y-%m") == "2019-05"]
    assert set(may["date_precision"]) == {"month"}


def test_every_event_has_evidence_and_every_report_an_event():
    e, r = brink.events(), brink.event_reports()
    assert set(e["event_id"]) == set(r["event_id"])


def test_time_zones_follow_the_place():
    e = brink.events().set_index("event_id")
    strike = e.loc["EV15", "time_utc"]
    assert strike == pd.Timestamp("2020-01-02 21:47", tz="UTC")      # 00:47 in Baghdad, UTC+3
    assert strike.tz_convert("Asia/Baghdad").date().isoformat() == "2020-01-03"
    assert strike.tz_convert("America/New_York").date().isoformat() == "2020-01-02"
    flight = e.loc["EV13", "time_utc"]
    assert flight == pd.Timestamp("2020-01-02 20:30", tz="UTC")      # 22:30 in Damascus, UTC+2
    assert e.loc["EV15", "date"] == pd.Timestamp("2020-01-03")        # the local date


def test_month_events_span_their_month():
    e = brink.events()
    m = e[e["date_precision"] == "month"]
    assert (m["date"].dt.day == 1).all() and (m["date_end"] == m["date"] + pd.offsets.MonthEnd(0)).all()


def test_context_is_marked_and_cited():
    e = brink.events()
    ctx = e[e["date_basis"] == "context"]
    assert len(ctx) >= 1 and ctx["context_cite"].str.startswith("http").all()
    f = brink.source_fields()
    assert (f[f["basis"] == "context"]["support"].str.startswith("http")).all()
    p = brink.people().set_index("person")
    assert p.loc["Karim Sadjadpour", "basis"] == "context"


def test_one_canonical_name_for_both_spellings():
    p = brink.people()
    assert brink.canonical_name("Suleimani", p) == brink.canonical_name("Soleimani", p) == "Qassem Soleimani"
    q = brink.quotes()
    assert not q["speaker"].str.contains("Suleimani|Mr\\.").any()
    assert "Suleimani" in brink.source_text("000_817cee62a98404b2")


def test_run_on_quote_is_coded():
    q = brink.quotes()
    run_on = q[q["note"].fillna("").str.contains("without a closing mark")]
    assert list(run_on["speaker"]) == ["Ali Alfoneh"]


def test_every_prediction_has_an_outcome_and_bands_match_icd203():
    c = brink.claims()
    pred = c[c["claim_type"] == "prediction"]
    assert pred["outcome"].notna().all()
    assert set(c[c["source_id"] == "002_aa9adbf77d299f0c"]["claim_type"]) >= {"prediction", "assessment", "recommendation"}
    ac = c[c["estimative_term"] == "almost certain"].iloc[0]
    assert (ac["p_low"], ac["p_high"]) == (0.95, 0.99)
    assert c[c["estimative_term"] == "may"]["p_low"].isna().all()


def test_discrepancies_cover_the_disputed_figures():
    d = brink.discrepancies()
    topics = set(d["topic"])
    assert {"Missiles Iran fired at bases in Iraq", "Injuries from Iran's missile strike",
            "Militia members killed in the 29 December strikes", "Spelling of the general's name"} <= topics
    for topic, g in d.groupby("topic"):
        assert g["source_id"].nunique() == len(g) >= 2, topic
        assert g["reported"].nunique() >= 2, topic


def test_figure_rule_takes_the_latest_written_source():
    e, d, s = brink.events().set_index("event_id"), brink.discrepancies(), brink.sources()
    pub = dict(zip(s["source_id"], s["published"]))
    for event, topic, col in [("EV21", "Injuries from Iran's missile strike", "injured"),
                              ("EV06", "Militia members killed in the 29 December strikes", "killed")]:
        g = d[d["topic"] == topic]
        latest = g.loc[g["source_id"].map(pub).idxmax()]
        assert e.loc[event, col] == int(latest["value"])


def test_in_window_does_not_change_its_input():
    e = brink.events()
    before = e.copy()
    out = brink.in_window(e, "2020-01-01", "2020-01-08")
    pd.testing.assert_frame_equal(e, before)
    assert out["date"].min() >= pd.Timestamp("2020-01-01") and len(out) < len(e)


def test_with_evidence_joins_source_labels():
    out = brink.with_evidence(brink.events(), brink.event_reports(), brink.sources())
    row = out.set_index("event_id").loc["EV15"]
    assert row["n_sources"] == 3 and row["source_label"] == "000 news analysis"


def test_with_evidence_counts_zero_sources_for_an_event_no_text_reports():
    """An event with no report has no evidence and 0 sources (an int64 count, not a missing value)."""
    reports = brink.event_reports()
    out = brink.with_evidence(brink.events(), reports[reports["event_id"] != "EV15"], brink.sources())
    row = out.set_index("event_id").loc["EV15"]
    assert pd.isna(row["evidence"]) and pd.isna(row["source_label"])
    assert out["n_sources"].dtype == "int64" and row["n_sources"] == 0
    assert (out.loc[out["event_id"] != "EV15", "n_sources"] >= 1).all()


def test_importing_every_module_of_brink_changes_no_global_state():
    """No module of the kit, imported, sets a pandas or numpy option, an Altair renderer, transformer or theme,
    a warnings filter, a logging handler, an environment variable, sys.path, the working folder or a hook,
    nor reads a table or stands in for ``rfc3987_syntax`` (``defer_iri_grammar`` is for lesson kernels only)."""
    code = """
import importlib, logging, os, pkgutil, sys, warnings
import altair as alt, numpy as np, pandas as pd
from pandas._config import config

def state():
    with warnings.catch_warnings():               # reading a deprecated pandas option warns
        warnings.simplefilter("ignore")
        options = {k: repr(pd.get_option(k)) for k in sorted(config._registered_options)}
    return {"pandas": options,
            "numpy": (repr(np.get_printoptions()), np.geterr()),
            "altair": (alt.renderers.active, alt.data_transformers.active, alt.theme.active),
            "warnings": list(warnings.filters), "logging": (logging.root.level, list(logging.root.handlers)),
            "environ": dict(os.environ), "path": list(sys.path), "cwd": os.getcwd(),
            "hooks": (sys.excepthook, sys.displayhook, sys.breakpointhook), "iri": "rfc3987_syntax" in sys.modules}

before = state()
import brink
names = [m.name for m in pkgutil.walk_packages(brink.__path__, "brink.") if m.name != "brink.__main__"]
for name in names:
    importlib.import_module(name)
after = state()
changed = sorted(k for k in before if before[k] != after[k])
assert not changed, {k: (before[k], after[k]) for k in changed}
assert len(names) > 60 and "brink.exercises.generators" in names, names
from brink.dataset import loaders
assert loaders._build.cache_info().currsize == 0 and not loaders.built, "an import read data"
print(len(names))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
