"""The class report opened in Chromium: no request leaves the page, and axe-core finds nothing serious.

The page is the one ``brink report`` writes for a class made as ``make bench`` makes it
(``scripts/bench_grading.make_class``: per-student papers, attempt logs), one student's name
written as HTML. Every request the page makes is recorded, and any that is not the file itself
is refused and named.
"""
import importlib.util
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[2]
EVIL = '<img src="https://example.org/x.png" onerror="alert(1)">'
FILE = "<img src=x onerror=alert(2)>.json"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_grading", KIT / "scripts" / "bench_grading.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    from brink.exercises.grading import grade
    folder = tmp_path_factory.mktemp("report-class")
    names = [f"Student {i:02d}" for i in range(39)] + [EVIL]
    c = _bench().make_class(folder, 40, names=names)
    (c["submissions"] / "user0039" / "submission.json").rename(c["submissions"] / "user0039" / FILE)
    (c["submissions"] / "user0001" / FILE).write_text("not a submission", encoding="utf-8")   # named on the page
    out = folder / "report.html"
    grade([c["submissions"]], None, roster=c["roster"], source="hub", all_exercises=True, secret=c["secret"],
          report_html=out)
    return out


@pytest.fixture(scope="module")
def page(browser, report_file):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    requests, errors = [], []
    url = report_file.as_uri()

    def route(r):
        requests.append(r.request.url)
        if r.request.url == url:
            r.continue_()
        else:
            r.abort()
    context.route("**/*", route)
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    page.requests, page.errors, page.url_ = requests, errors, url
    yield page
    context.close()


def test_no_request_leaves_the_page(page, screenshots):
    page.screenshot(path=str(Path(screenshots) / "class-report.png"), full_page=False)
    assert page.requests and set(page.requests) == {page.url_}, sorted(set(page.requests))
    assert not page.errors, page.errors
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    # the name of the file left out shows as text, as written (no image, no script)
    assert page.get_by_text(FILE, exact=False).count() >= 1


def test_the_charts_and_tables_are_there(page):
    assert page.locator("svg[role=img]").count() >= 3
    for chart in ("chart-share", "chart-discrimination", "chart-spread"):
        svg = page.locator(f"#{chart}")
        assert svg.locator("title").first.text_content().strip()
        box = svg.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 50, (chart, box)
    assert page.locator("table[data-table=figures]").count() == page.locator("table[data-table=summary] tr[data-q]").count()
    assert page.locator(".text mark").count() > 0


def test_axe_finds_nothing_serious_in_the_report(page):
    import axe_playwright_python
    script = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    page.add_script_tag(path=str(script))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help,
                                       first: v.nodes[0] && v.nodes[0].html.slice(0, 120)}));
    }""")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core: {serious}"
