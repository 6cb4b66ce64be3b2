"""Every notebook and exercise in JupyterLab, in Chromium: charts drawn, cells run, widgets answered."""
import json
import statistics
import time
import urllib.error
from pathlib import Path

import psutil
import pytest

from brink.exercises.bank import load_bank
from browserkit import PANEL, NotebookPage, stored_charts

KIT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.name for p in (KIT / "notebooks").glob("*.ipynb"))
EXERCISES = sorted(p.name for p in (KIT / "exercises").glob("*.ipynb"))
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
BANK = load_bank()["questions"]


def first(kind, exercise):
    return next(q for q in BANK if q["exercise"] == exercise and q["kind"] == kind)


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_notebook(lab, browser, screenshots, name):
    nb = NotebookPage(browser, lab, f"notebooks/{name}")
    try:
        expected = stored_charts(KIT / "notebooks" / name)
        deadline = time.time() + 180         # a wait for the state: under load the Vega renderer loads slowly
        while nb.charts_drawn() < expected and time.time() < deadline:
            time.sleep(0.3)
        assert nb.charts_drawn() >= expected, "stored charts are drawn before anything runs (untrusted)"
        nb.assert_opened_clean(expected)          # no news prompt, not marked modified (test_open_clean.py)
        nb.run_all()
        assert nb.error_outputs() == []
        assert nb.charts_drawn() >= expected
        target = nb.panel.locator(".vega-embed").first if expected else nb.panel.locator(".jp-Cell").first
        nb.screenshot(screenshots, name.removesuffix(".ipynb"), target)
        assert not nb.errors, nb.errors
    finally:
        nb.close()


LATENCY = {}


@pytest.mark.parametrize("name", EXERCISES)
def test_exercise_notebook(lab, browser, screenshots, name):
    ex_id = name.removesuffix("-exercises.ipynb")
    mouse_q, key_q, written_q = first("single", ex_id), first("numeric", ex_id), first("written", ex_id)
    nb = NotebookPage(browser, lab, f"exercises/{name}")
    try:
        nb.assert_opened_clean(stored_charts(lab.root / "exercises" / name))   # as in test_open_clean.py
        nb.run_all()
        assert nb.error_outputs() == []
        # with the mouse: a wrong option, then the right one
        box = nb.question(mouse_q["id"])
        wrong = next(o for o in mouse_q["options"] if o != mouse_q["answer"])
        box.locator(".widget-radio-box label", has_text=wrong).first.click()
        box.locator("button", has_text="Check answer").click()
        text = nb.wait_feedback(mouse_q["id"], "✗ Not yet.")
        assert "Hint:" in text and "Saved." in text
        box.locator(".widget-radio-box label", has_text=mouse_q["answer"]).first.click()
        box.locator("button", has_text="Check answer").click()
        nb.wait_feedback(mouse_q["id"], "✓ Correct.")
        # with the keyboard alone: type, Tab to the button, press Enter
        field = nb.question(key_q["id"]).locator("input[type=text]")
        field.focus()
        nb.page.keyboard.type(f"{float(key_q['answer']):g}")
        nb.page.keyboard.press("Tab")
        focused = nb.page.evaluate("document.activeElement.textContent")
        assert "Check answer" in focused, f"Tab from the answer reaches the button, not {focused!r}"
        nb.page.keyboard.press("Enter")
        nb.wait_feedback(key_q["id"], "✓ Correct.")
        # a hostile written answer is shown as text and runs nothing
        nb.question(written_q["id"]).locator("textarea").fill(HOSTILE)
        nb.question(written_q["id"]).locator("button", has_text="Check answer").click()
        nb.wait_feedback(written_q["id"], "Answer recorded")
        assert nb.page.evaluate("window.__pwned") is None
        assert nb.question(written_q["id"]).locator("img[src='x']").count() == 0
        nb.screenshot(screenshots, name.removesuffix(".ipynb"), box)
        if ex_id == "02-rhetoric":
            LATENCY["times"] = measure_latency(nb, mouse_q["id"])
            box.locator(".widget-radio-box label", has_text=mouse_q["answer"]).first.click()   # the last word: right
            box.locator("button", has_text="Check answer").click()
            nb.wait_feedback(mouse_q["id"], "✓ Correct.")
        axe_check(nb)
        # the last click is saved before the restart below (a restart drops what the kernel has not handled yet):
        # wait for the answer file to hold it, not for time (after the latency clicks the feedback may already
        # read "Correct" from an earlier click)
        answers = lab.root / "exercises" / "brink-answers" / f"{ex_id}.json"
        wait_saved(answers, mouse_q["id"], mouse_q["answer"])
        # restart the kernel, run again: the answers come back
        nb.restart_and_run_all()
        for q in (mouse_q, key_q, written_q):   # each question says its answer was restored
            nb.wait_feedback(q["id"], "Restored from your saved answers", timeout=30)
        restored = nb.question(mouse_q["id"]).locator("input[type=radio]:checked")
        assert restored.count() == 1
        assert nb.question(mouse_q["id"]).locator("label:has(input:checked)").text_content().strip() == mouse_q["answer"]
        assert nb.question(key_q["id"]).locator("input[type=text]").input_value() == f"{float(key_q['answer']):g}"
        assert nb.question(written_q["id"]).locator("textarea").input_value() == HOSTILE
        assert nb.page.evaluate("window.__pwned") is None
        assert nb.error_outputs() == [] and not nb.errors, nb.errors
        saved = json.loads(answers.read_text(encoding="utf-8"))
        assert saved["latest"][mouse_q["id"]] == mouse_q["answer"]
        assert nb.panel.locator("text=ex.solution(").count() == 0, "the student release has no solution cells"
    finally:
        nb.close()


def wait_saved(path, qid, answer, timeout=60):
    """Wait until the answer file at ``path`` holds ``answer`` as the latest for ``qid`` (read whole: the kit
    replaces the file in one step, but it may not exist yet)."""
    deadline = time.time() + timeout
    latest = None
    while time.time() < deadline:
        try:
            latest = json.loads(path.read_text(encoding="utf-8"))["latest"].get(qid)
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            latest = None
        if latest == answer:
            return
        time.sleep(0.2)
    raise AssertionError(f"{path.name}: {qid} saved as {latest!r}, not {answer!r}, after {timeout} s")


def measure_latency(nb, qid, clicks=24):
    """Click → feedback time in the page, alternating two options so every click changes the feedback."""
    return nb.page.evaluate("""async ([sel, n]) => {
        const q = document.querySelector(sel);
        const button = [...q.querySelectorAll('button')].find(b => b.textContent.includes('Check answer'));
        const fb = q.querySelector('.brink-feedback');
        const radios = [...q.querySelectorAll('.widget-radio-box input')];
        const times = [];
        for (let i = 0; i < n; i++) {
            radios[i % 2].click();
            await new Promise(r => setTimeout(r, 150));
            const before = fb.innerText;
            const t0 = performance.now();
            await new Promise(res => {
                const obs = new MutationObserver(() => { if (fb.innerText !== before) { obs.disconnect(); res(); } });
                obs.observe(fb, {subtree: true, childList: true, characterData: true});
                setTimeout(() => { obs.disconnect(); res(); }, 5000);
                button.click();
            });
            times.push(performance.now() - t0);
        }
        return times;
    }""", [f"{PANEL} .brink-q-{qid}", clicks])


def axe_check(nb):
    import axe_playwright_python
    script = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    nb.page.add_script_tag(path=str(script))
    result = nb.page.evaluate("""async (sel) => {
        const r = await axe.run({include: [[sel]]}, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}));
    }""", f"{PANEL} .brink-question")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core: {serious}"


def test_latency_figures(screenshots):
    times = LATENCY.get("times")
    assert times and len(times) >= 20, "the rhetoric exercise measured the click → feedback latency"
    median = statistics.median(times)
    p95 = sorted(times)[int(round(0.95 * (len(times) - 1)))]
    line = (f"click → feedback latency over {len(times)} clicks: median {median:.0f} ms, p95 {p95:.0f} ms "
            f"(target: median ≤ 100 ms, p95 ≤ 250 ms)")
    print("\n" + line)
    (screenshots.parent / "latency.txt").write_text(line + "\n", encoding="utf-8")


def test_server_refuses_requests_without_the_token(lab):
    with pytest.raises(urllib.error.HTTPError) as err:
        lab.api("GET", "/api/contents", token=False)
    assert err.value.code == 403
    assert lab.api("GET", "/api/status")["started"]


def test_server_listens_on_loopback_only(lab):
    listening = [c.laddr for c in psutil.Process(lab.proc.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening and all(a.ip in ("127.0.0.1", "::1") for a in listening), listening
