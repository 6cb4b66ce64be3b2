"""A class at once in the browser (``make bench``): students in one JupyterLab, each in a kernel of their own,
each in a Chromium page (several pages per browser), all clicking "Check answer" at the same moment.

    python scripts/bench_class.py                 # 30 students, 5 rounds of clicks
    python scripts/bench_class.py --students 10 --rounds 3

Each student has a copy of a student release made by `brink assign` (a home of their own, as on a hub)
and opens its 02-rhetoric exercises. In every round each page picks the other of two options (the right one
and a wrong one, so each click changes the feedback) and, at one
moment set for all pages, clicks "Check answer"; the page measures click → feedback changed. Printed:
the median and p95 over every click, against the issue's goal (median ≤ 100 ms, p95 ≤ 250 ms); nothing
is asserted about speed. Then every student's answer file is read: each click must be there as an attempt
and the last choice as the latest answer. A lost answer is a failure (exit status 1), not a figure.

Where a click's time goes is printed beside it: the "Check answer" callback in a kernel (check the answer,
save it, build the feedback) timed over many clicks in a plain Python process on a copy of the same release,
its CPU and wall milliseconds and how much of the wall is the answer file's two fsyncs (the file, then its
folder: the answer is on disk before the feedback says so), and the bytes of the feedback the widget sends.
What remains of click → feedback is the messages (page → server → kernel and back) and drawing the pages.
``--callback-only`` prints that part alone (no Chromium needed).

And what a click costs the machine: the CPU (user + system) of every process of the class over each round's
window, by kind (kernels, the JupyterLab server, Chromium's pages, Chromium's browser and helpers,
Playwright), less what the idle class uses in as long, per click; the floor that sets on the machine's
cores (clicks × CPU per click ÷ cores); the server's share alone (kernels and JupyterLab: what a hub's cores
carry when each student's browser is on a machine of their own); a page's main-thread JavaScript, layout
and style per click (Chromium's own counters); and how far after the shared moment the clicks began.

Needs Chromium (``BRINK_CHROMIUM``, default /usr/bin/chromium) and the browser extra (Playwright).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(KIT / "lib"))
from brink.lab import command  # noqa: E402

CHROMIUM = Path(os.environ.get("BRINK_CHROMIUM") or "/usr/bin/chromium")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-renderer-backgrounding",
               "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows"]
EXERCISE = "02-rhetoric"
WINDOW = 4.0    # seconds from each round's shared moment over which the class's CPU is counted
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# In the page: wait for the shared moment, pick an option, click, and time until the feedback changes.
CLICK = """async ([sel, option, at]) => {
    const q = document.querySelector(sel);
    const button = [...q.querySelectorAll('button')].find(b => b.textContent.includes('Check answer'));
    const fb = q.querySelector('.brink-feedback');
    const radios = [...q.querySelectorAll('.widget-radio-box input')];
    radios[option].click();
    await new Promise(r => setTimeout(r, Math.max(0, at - Date.now())));
    const before = fb.innerText;
    const late = Date.now() - at;
    const t0 = performance.now();
    const changed = await new Promise(res => {
        const obs = new MutationObserver(() => { if (fb.innerText !== before) { obs.disconnect(); res(true); } });
        obs.observe(fb, {subtree: true, childList: true, characterData: true});
        setTimeout(() => { obs.disconnect(); res(false); }, 30000);
        button.click();
    });
    return [changed, performance.now() - t0, radios[option].parentElement.textContent.trim(), late];
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(url: str, token: str, method: str = "GET", path: str = "/api/status"):
    req = urllib.request.Request(url + path, method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        body = r.read()
        return json.loads(body) if body else None


def question() -> tuple[str, list[int]]:
    """The exercise's first single-choice question (from the kit's bank) and two of its options: right, wrong.

    Alternating the two, every click changes the feedback ("✓ Correct." and "✗ Not yet.").
    """
    from brink.exercises.bank import load_bank
    q = next(q for q in load_bank()["questions"] if q["exercise"] == EXERCISE and q["kind"] == "single")
    right = q["options"].index(q["answer"])
    return q["id"], [right, next(i for i in range(len(q["options"])) if i != right)]


#: the "Check answer" callback, clicked ``n`` times in this process (a release's exercises folder as the current
#: folder, so its key and answer file are used): CPU and wall ms per click, fsync ms, the feedback's bytes
CALLBACK = r"""
import json, os, sys, time
from ipywidgets import RadioButtons
from brink.exercises import Exercise
exercise, qid, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
view = Exercise(exercise).show(qid)
radio = next(c for c in view.controls if isinstance(c, RadioButtons))
synced, real = [0.0], os.fsync
def timed_fsync(fd):
    t = time.perf_counter()
    real(fd)
    synced[0] += time.perf_counter() - t
os.fsync = timed_fsync
cpu = wall = 0.0
for i in range(n):
    radio.value = radio.options[i % 2]
    c, w = time.process_time(), time.perf_counter()
    view._on_click()
    cpu, wall = cpu + time.process_time() - c, wall + time.perf_counter() - w
saved = json.loads(open(os.path.join("brink-answers", exercise + ".json"), encoding="utf-8").read())
print(json.dumps({"cpu": 1000 * cpu / n, "wall": 1000 * wall / n, "fsync": 1000 * synced[0] / n,
                  "feedback": len(view.feedback.value.encode()), "attempts": len(saved["attempts"])}))
"""


def callback_cost(release: Path, qid: str, clicks: int = 40) -> dict:
    """The callback's cost per click, measured in a fresh process on a copy of ``release`` (see CALLBACK)."""
    with tempfile.TemporaryDirectory(prefix="brink-callback-") as tmp:
        copy = Path(tmp) / "student"
        shutil.copytree(release, copy)
        env = {k: v for k, v in os.environ.items() if k not in ("BRINK_ANSWERS", "BRINK_KEY", "BRINK_MODE")}
        env["PYTHONPATH"] = str(copy / "lib")
        out = subprocess.run([sys.executable, "-c", CALLBACK, EXERCISE, qid, str(clicks)], cwd=copy / "exercises",
                             env=env, capture_output=True, text=True, timeout=600)
        if out.returncode:
            raise RuntimeError(f"the callback could not be timed:\n{out.stderr[-2000:]}")
        found = json.loads(out.stdout.strip().splitlines()[-1])
        if found["attempts"] != clicks:
            raise RuntimeError(f"{clicks} clicks, {found['attempts']} attempts saved")
        return found


def print_callback(cost: dict, clicks: int = 40) -> None:
    print(f"  in the kernel, per click (the callback alone, {clicks} clicks in one process): "
          f"{cost['cpu']:.1f} ms CPU, {cost['wall']:.1f} ms wall, of which fsync {cost['fsync']:.1f} ms; "
          f"feedback {cost['feedback']} bytes")


async def open_student(browser, url: str, token: str, student: str, qid: str):
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    await page.goto(f"{url}/lab/tree/{student}/exercises/{EXERCISE}-exercises.ipynb?reset&token={token}")
    panel = page.locator(PANEL)
    await panel.locator(".jp-Cell").first.wait_for(timeout=180_000)
    # JupyterLab's own "Run All" (Run menu), as a student does, once the kernel is up
    status = page.locator("#jp-main-statusbar")
    deadline = time.time() + 180
    while "| Idle" not in await status.inner_text():
        if time.time() > deadline:
            raise RuntimeError(f"{student}: the kernel never became idle")
        await asyncio.sleep(0.3)
    await page.locator("li.lm-MenuBar-item", has_text="Run").click()
    await page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    # every cell has run (each prompt numbered) and the kernel is idle again: only then is the class ready
    prompts = panel.locator(".jp-CodeCell .jp-InputPrompt")
    deadline = time.time() + 300
    while True:
        texts = [t.strip() for t in await prompts.all_text_contents()]
        if texts and all(re.fullmatch(r"\[\d+\]:?", t) for t in texts) and "| Idle" in await status.inner_text():
            break
        if time.time() > deadline:
            raise RuntimeError(f"{student}: the cells did not all run: {texts}")
        await asyncio.sleep(0.3)
    box = panel.locator(f".brink-q-{qid}")
    await box.locator("button", has_text="Check answer").scroll_into_view_if_needed(timeout=60_000)
    return context, page


async def class_at_once(url: str, token: str, students: list[str], qid: str, options: list[int],
                        rounds: int) -> dict:
    from playwright.async_api import async_playwright
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        opened = []
        for i in range(0, len(students), 5):      # five students open their notebooks at a time
            opened += await asyncio.gather(*(open_student(browser, url, token, s, qid) for s in students[i:i + 5]))
        times, unchanged, chosen = [], 0, {s: [] for s in students}
        sel = f"{PANEL} .brink-q-{qid}"
        # each page's main thread, from Chromium's own counters (DevTools protocol): what drawing a click costs there
        sessions = [await context.new_cdp_session(page) for context, page in opened]
        for cdp in sessions:
            await cdp.send("Performance.enable")

        async def main_thread() -> dict:
            found = dict.fromkeys(MAIN_THREAD, 0.0)
            for cdp in sessions:
                for m in (await cdp.send("Performance.getMetrics"))["metrics"]:
                    if m["name"] in found:
                        found[m["name"]] += m["value"]
            return found

        def since(a: dict, b: dict) -> dict:
            return {k: b[k] - a[k] for k in a}

        # the class sitting idle (once the last notebooks have settled) for twice a round's window, so a window's
        # CPU less the idle rate counts the clicks alone
        await asyncio.sleep(5)
        idle, idle_main, t = cpu_by_part(), await main_thread(), time.perf_counter()
        await asyncio.sleep(2 * WINDOW)
        idle, idle_main = since(idle, cpu_by_part()), since(idle_main, await main_thread())
        idle_s = time.perf_counter() - t
        used, used_main, used_s, main_s = dict.fromkeys(PARTS, 0.0), dict.fromkeys(MAIN_THREAD, 0.0), 0.0, 0.0
        late = []
        for r in range(rounds):
            at = int(time.time() * 1000) + 2000          # one moment for every page (same machine, same clock)
            clicks = asyncio.gather(*(page.evaluate(CLICK, [sel, options[(n + r) % 2], at])
                                      for n, (_, page) in enumerate(opened)))
            # both windows open once the options are picked (each page picks its option as soon as it is asked)
            await asyncio.sleep(max(0.0, at / 1000 - time.time() - 0.4))
            start_main, tm = await main_thread(), time.perf_counter()
            await asyncio.sleep(max(0.0, at / 1000 - time.time() - 0.05))
            before, t = cpu_by_part(), time.perf_counter()
            results = await clicks
            # what the clicks set going after the last feedback (the score line, the pages' drawing) counts too
            await asyncio.sleep(max(0.0, WINDOW - (time.perf_counter() - t)))
            used = {k: v + cpu_by_part()[k] - before[k] for k, v in used.items()}
            used_s += time.perf_counter() - t
            used_main = {k: v + d for (k, v), d in zip(used_main.items(), since(start_main, await main_thread()).values())}
            main_s += time.perf_counter() - tm
            for s, (changed, ms, label, behind) in zip(students, results):
                times.append(ms)
                unchanged += not changed
                chosen[s].append(label)
                late.append(behind)
            await asyncio.sleep(1)
        for context, _ in opened:
            await context.close()
        await browser.close()
    # CPU ms per click: a round's window less what the idle class used in as long
    clicks = len(students) * rounds
    per_click = {k: 1000 * (used[k] - idle[k] * used_s / idle_s) / clicks for k in PARTS}
    per_click_main = {k: 1000 * (used_main[k] - idle_main[k] * main_s / idle_s) / clicks for k in MAIN_THREAD}
    return {"times": times, "unchanged": unchanged, "chosen": chosen, "cpu": per_click, "main": per_click_main,
            "idle": {k: 1000 * v / idle_s / len(students) for k, v in idle.items()}, "late": sorted(late)}


#: a page's main-thread time as Chromium counts it (Performance.getMetrics; clock time, so it grows when the
#: machine is busy): JavaScript, layout and style, printed per click
MAIN_THREAD = {"ScriptDuration": "JavaScript", "LayoutDuration": "layout", "RecalcStyleDuration": "style"}


#: what each process of the class is, by its command line: the order in which the CPU is printed
PARTS = ("kernels", "JupyterLab server", "Chromium pages", "Chromium browser and helpers", "Playwright")


def part_of(proc) -> str | None:
    """Which part of the class a process (psutil) belongs to, or None for this script itself."""
    try:
        line = " ".join(proc.cmdline())
    except Exception:
        return None
    if "ipykernel" in line:
        return "kernels"
    if "jupyterlab" in line:
        return "JupyterLab server"
    if "--type=renderer" in line:
        return "Chromium pages"
    if "chrom" in line.lower():
        return "Chromium browser and helpers"
    if "playwright" in line or "node" in line:
        return "Playwright"
    return None


def cpu_by_part() -> dict:
    """CPU seconds (user + system) used so far by every process this script started, by part (see PARTS)."""
    import psutil
    found = dict.fromkeys(PARTS, 0.0)
    for proc in psutil.Process().children(recursive=True):
        part = part_of(proc)
        if part is None:
            continue
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        found[part] += t.user + t.system
    return found


def lost_answers(root: Path, chosen: dict, qid: str) -> list[str]:
    """Every click of every student is an attempt in their answer file, and the last choice is the latest."""
    problems = []
    for student, labels in chosen.items():
        path = root / student / "exercises" / "brink-answers" / f"{EXERCISE}.json"
        saved = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"attempts": [], "latest": {}}
        attempts = [a["response"] for a in saved["attempts"] if a["question"] == qid]
        if attempts != labels:
            problems.append(f"{student}: clicked {labels}, saved {attempts}")
        elif saved["latest"].get(qid) != labels[-1]:
            problems.append(f"{student}: latest answer {saved['latest'].get(qid)!r}, last click {labels[-1]!r}")
    return problems


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--callback-only", action="store_true", help="only the callback's cost in a kernel")
    args = ap.parse_args(argv)
    if args.callback_only:
        from brink.exercises.coursework import assign
        with tempfile.TemporaryDirectory(prefix="brink-class-") as tmp:
            assign(Path(tmp) / "release", force=True)
            print(f"Where a click's time goes ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
            print_callback(callback_cost(Path(tmp) / "release", question()[0]))
        return 0
    if not CHROMIUM.exists():
        print(f"bench_class: {CHROMIUM} not found (apt-get install chromium, or set BRINK_CHROMIUM)", file=sys.stderr)
        return 2
    from brink.exercises.coursework import assign
    with tempfile.TemporaryDirectory(prefix="brink-class-") as tmp:
        tmp = Path(tmp)
        release, root, home = tmp / "release", tmp / "class", tmp / "jupyter"
        assign(release, force=True)
        students = [f"student-{n:02d}" for n in range(1, args.students + 1)]
        for s in students:
            shutil.copytree(release, root / s)
        env = {k: v for k, v in os.environ.items() if k not in ("BRINK_ANSWERS", "BRINK_KEY", "BRINK_MODE")}
        for var, sub in [("JUPYTER_DATA_DIR", "data"), ("JUPYTER_CONFIG_DIR", "config"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                         ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")]:
            (home / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(home / sub)
        port, token = free_port(), secrets.token_hex(24)
        env.update(JUPYTER_TOKEN=token, PYTHONPATH=str(release / "lib"))
        url = f"http://127.0.0.1:{port}"
        log = open(home / "lab.log", "w")
        proc = subprocess.Popen(command(port, token, root=root, start=None, open_browser=False), cwd=root, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.time() + 120
            while True:
                try:
                    api(url, token)
                    break
                except (urllib.error.URLError, ConnectionError):
                    if proc.poll() is not None or time.time() > deadline:
                        print("bench_class: JupyterLab did not start:\n" + (home / "lab.log").read_text()[-2000:],
                              file=sys.stderr)
                        return 1
                    time.sleep(0.5)
            qid, options = question()
            t0 = time.perf_counter()
            got = asyncio.run(class_at_once(url, token, students, qid, options, args.rounds))
            took = time.perf_counter() - t0
        finally:
            try:
                for k in api(url, token, path="/api/kernels") or []:
                    api(url, token, "DELETE", f"/api/kernels/{k['id']}")
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            log.close()
        times = sorted(got["times"])
        p95 = times[int(round(0.95 * (len(times) - 1)))]
        print(f"A class at once in Chromium: {len(students)} students (own kernel and page each, one JupyterLab), "
              f"{args.rounds} rounds of simultaneous clicks, {len(times)} clicks ({took:.0f} s with opening)")
        print(f"  click → feedback: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
              f"max {times[-1]:.0f} ms (goal: median ≤ 100 ms, p95 ≤ 250 ms); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        total = sum(got["cpu"].values())
        print(f"  CPU per click (user + system, every process of the class during the rounds, less the idle class): "
              f"{total:.0f} ms = " + ", ".join(f"{k} {v:.1f}" for k, v in got["cpu"].items()))
        cores = os.cpu_count() or 1
        print(f"  the floor on {cores} cores: {len(students)} clicks × {total:.0f} ms ÷ {cores} = "
              f"{len(students) * total / cores:.0f} ms for the last feedback of a round, "
              f"{len(students) * total / cores / 2:.0f} ms for the median; "
              f"the idle class used {sum(got['idle'].values()):.1f} ms of CPU a second per student (" +
              ", ".join(f"{k} {v:.1f}" for k, v in got["idle"].items()) + ")")
        # on a hub the pages are drawn on the students' own machines: what the server's cores carry is the rest
        server = got["cpu"]["kernels"] + got["cpu"]["JupyterLab server"]
        print(f"  of that, the server's share (kernels and JupyterLab) {server:.1f} ms a click: "
              f"{len(students)} × {server:.1f} ms ÷ {cores} = {len(students) * server / cores:.0f} ms on {cores} cores "
              "when each student's browser is on a machine of their own")
        print("  a page's main thread per click (Chromium's counters of clock time, less the idle class): " +
              ", ".join(f"{MAIN_THREAD[k]} {v:.1f} ms" for k, v in got["main"].items()) +
              "; the rest of the pages' CPU is Chromium's other threads (compositing, drawing)")
        late = got["late"]
        print(f"  the clicks began {late[0]:.0f}–{late[-1]:.0f} ms after the shared moment "
              f"(median {statistics.median(late):.0f} ms), each timed from its own click to its own feedback")
        cost = callback_cost(release, qid)
        print_callback(cost)
        print(f"  the rest of the median, {max(0.0, statistics.median(times) - cost['wall']):.0f} ms: messages "
              "(page → server → kernel and back) and drawing the pages, all students' at once")
        problems = lost_answers(root, got["chosen"], qid)
        if got["unchanged"]:
            problems.append(f"{got['unchanged']} clicks showed no new feedback within 30 s")
        if problems:
            print("  ANSWERS LOST OR UNANSWERED:\n    " + "\n    ".join(problems))
            return 1
        print(f"  answers: all {len(times)} clicks saved as attempts, each student's last choice their latest answer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
