"""No input escapes a check or a widget callback as an exception (hypothesis, 500 inputs per kind and test).

The examples are derandomized (the same 500 every run, so a failure reproduces and no run depends on luck;
500 per kind and test is 7,000 inputs in all, where 1,000 were about a fifth of the whole `make test`),
each kind's strategy is built once, and the widget's answer files go to a RAM-backed folder where
the machine has one (/dev/shm): the store still writes atomically with fsync, which costs nothing there.
"""
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brink.exercises.bank import compile_key, load_bank
from brink.exercises.checking import Result, check
from brink.exercises.store import AnswerStore
from brink.exercises.widgets import QuestionView

KEY = compile_key(load_bank())
BY_KIND = {}
for ex in KEY["exercises"].values():
    for q in ex["questions"]:
        BY_KIND.setdefault(q["kind"], q)

hostile = st.sampled_from(["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "'; DROP TABLE x;--",
                           "\u202e\u0000\ufeff", "A" * 100_000, "NaN", "inf", "-0", "1e309", "١٢", "0x10", ""])
text = st.one_of(st.text(max_size=300), hostile)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), text)
anything = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=6),
                                                          st.dictionaries(text, inner, max_size=6)), max_leaves=20)


def options_based(entry):
    opts = entry.get("options") or entry.get("items") or []
    right = entry.get("right", [])
    left = entry.get("left", [])
    return st.one_of(st.sampled_from(opts) if opts else st.nothing(),
                     st.lists(st.sampled_from(opts), max_size=len(opts) + 2) if opts else st.nothing(),
                     st.permutations(opts) if opts else st.nothing(),
                     st.dictionaries(st.sampled_from(left), st.sampled_from(right)) if left else st.nothing())


#: each kind's responses: anything at all, or something built from the question's own options
RESPONSES = {kind: st.one_of(anything, options_based(entry)) for kind, entry in BY_KIND.items()}
#: where the widget test's answer files go: RAM-backed if the machine has it, else the usual temporary folder
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
EXAMPLES = settings(max_examples=500, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("kind", sorted(BY_KIND))
@EXAMPLES
@given(data=st.data())
def test_check_never_raises(kind, data):
    entry = BY_KIND[kind]
    response = data.draw(RESPONSES[kind])
    r = check(entry, response)
    assert isinstance(r, Result)
    assert r.status in {"correct", "partial", "incorrect", "recorded", "invalid", "empty"}
    assert 0 <= r.score <= r.points
    assert r.message


VIEWS = {}
FIRST_STORE = tempfile.TemporaryDirectory(dir=SCRATCH)     # removed when the run ends


@pytest.mark.parametrize("kind", sorted(BY_KIND))
@EXAMPLES
@given(data=st.data())
def test_widget_callback_never_raises_and_saves(kind, data):
    entry = BY_KIND[kind]
    if kind not in VIEWS:                        # one set of widgets per kind, as in a notebook
        VIEWS[kind] = QuestionView(entry, AnswerStore("props", FIRST_STORE.name), 1)
    view = VIEWS[kind]
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        view.store = AnswerStore("props", folder)        # a fresh answer file for each input
        response = data.draw(RESPONSES[kind])
        view.set_response(response)              # restoring any stored value never raises
        view._on_click()                         # the button's callback, with whatever the controls hold
        r = view.submit(response)                # and a submission of the raw value
        assert 'role="status"' in view.feedback.value
        assert "<script>" not in view.feedback.value and "<img" not in view.feedback.value
        if r.status != "empty":
            assert view.store.read()["attempts"], "every attempt is saved"
