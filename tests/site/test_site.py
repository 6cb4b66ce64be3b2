"""The course website as a reader gets it: built by `make site`'s script, served from its build folder
on a loopback port, opened in Chromium. Every chart draws, every link leads somewhere, and no
request leaves the site. (The ``site`` fixture, built once for the suite, is in tests/site/conftest.py.)"""
import html
import re
import urllib.request

import nbformat
import pytest

from kitpaths import KIT

VEGALITE = "application/vnd.vegalite.v5+json"


@pytest.fixture
def page(browser, site):
    context = browser.new_context()
    p = context.new_page()
    p.requests = []
    p.on("request", lambda r: p.requests.append(r.url))
    yield p
    context.close()


def source_of(href):
    folder, name = href.split("/")
    return KIT / folder / name.replace(".html", ".ipynb")


def pages(site):
    return site["summary"]["pages"]


def test_the_site_holds_every_lesson_and_exercise(site):
    lessons = sorted((KIT / "notebooks").glob("*.ipynb"))
    exercises = sorted((KIT / "exercises").glob("*.ipynb"))
    expected = [f"notebooks/{p.stem}.html" for p in lessons] + [f"exercises/{p.stem}.html" for p in exercises]
    assert pages(site) == expected
    # The front page counts what it holds (not every lesson has an exercise notebook).
    front = html.unescape((site["root"] / "index.html").read_text(encoding="utf-8"))
    assert f"{len(lessons)} lessons and {len(exercises)} exercise notebooks." in front
    for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        assert (site["root"] / "static" / name).stat().st_size > 50_000, f"{name} is served by the site"


def test_every_chart_draws_with_its_description_and_no_request_leaves(site, page, screenshots):
    total = 0
    for href in pages(site):
        nb = nbformat.read(source_of(href), as_version=4)
        specs = [o["data"][VEGALITE] for c in nb.cells for o in c.get("outputs", []) if VEGALITE in o.get("data", {})]
        assert site["summary"]["charts"][href] == len(specs)
        page.goto(site["url"] + href)
        page.wait_for_load_state("load")
        if specs:
            page.wait_for_function(f"document.querySelectorAll('figure.brink-chart.drawn').length == {len(specs)}",
                                   timeout=120_000)   # a wait for the state: a starved machine draws slowly
        drawn = page.locator(".vega-embed svg.marks, .vega-embed canvas.marks")
        assert drawn.count() == len(specs), href
        captions = page.locator("figure.brink-chart figcaption").all_inner_texts()
        assert [c.removeprefix("Chart description: ") for c in captions] == [s["description"] for s in specs]
        for spec in specs:
            title = spec["title"] if isinstance(spec["title"], str) else spec["title"]["text"]
            assert page.locator(".vega-embed svg.marks text", has_text=title).count() >= 1, title
        if href == "notebooks/01-timeline.html":
            page.screenshot(path=str(screenshots / "site-01-timeline.png"), full_page=True)
        total += len(specs)
    assert total >= 9
    outside = [u for u in page.requests if not u.startswith(site["url"])]
    assert not outside, f"requests left the site: {outside[:5]}"
    assert any(u.endswith("static/vega.min.js") for u in page.requests)


def test_navigation_walks_every_page_in_order(site, page):
    page.goto(site["url"] + "index.html")
    visited = []
    page.locator("nav.pager a[rel=next]").click()
    while True:
        page.wait_for_load_state("load")
        visited.append(page.url.removeprefix(site["url"]))
        assert page.locator("nav.contents a[aria-current=page]").count() == 1
        nxt = page.locator("nav.pager a[rel=next]")
        if not nxt.count():
            break
        nxt.click()
    assert visited == pages(site)
    page.locator("nav.pager a[rel=prev]").click()
    page.wait_for_load_state("load")
    assert page.url.removeprefix(site["url"]) == pages(site)[-2]
    page.locator("nav.contents a", has_text="01 · Timeline").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("notebooks/01-timeline.html")


def test_every_link_in_the_site_resolves(site):
    broken, checked = [], 0
    for path in [site["root"] / "index.html"] + [site["root"] / h for h in pages(site)]:
        for href in re.findall(r'href="([^"#]*)(?:#[^"]*)?"', path.read_text(encoding="utf-8")):
            href = html.unescape(href)
            if not href or re.match(r"^[a-z]+:", href):
                continue
            target = (path.parent / href).resolve()
            checked += 1
            try:
                url = site["url"] + target.relative_to(site["root"].resolve()).as_posix()
                urllib.request.urlopen(url, timeout=60).close()
            except Exception as e:       # outside the site, or not served
                broken.append(f"{path.name}: {href} ({e})")
    assert checked > 50 and not broken, broken


def squash(text):
    return " ".join(str(text).split())


def test_exercises_are_readable_without_their_solutions(site, page):
    from brink.exercises.bank import load_bank
    bank = load_bank()["questions"]
    shown = 0
    for href in [h for h in pages(site) if h.startswith("exercises/")]:
        page.goto(site["url"] + href)
        text = squash(page.locator("main").inner_text())
        assert "How to answer these questions" in text and "JupyterLab" in text
        assert "ex.solution(" not in text and "Solution (instructor copy only" not in text
        exercise = href.split("/")[1].removesuffix("-exercises.html")
        for q in [q for q in bank if q["exercise"] == exercise]:
            assert squash(q["prompt"]) in text, q["id"]
            for choice in q.get("options", []) + q.get("items", []) + q.get("left", []) + q.get("right", []):
                assert squash(choice) in text, (q["id"], choice)
            for secret in [q.get("model_answer"), q.get("rubric")]:
                if isinstance(secret, str) and len(secret) > 20:
                    assert squash(secret) not in text, f"{q['id']}: the page gives the answer away"
            if q["kind"] == "ordering":
                listed = page.locator(".brink-question[data-kind=ordering] li").all_inner_texts()
                assert [squash(x) for x in q["answer"]] != [squash(x) for x in listed][:len(q["answer"])]
            shown += 1
    assert shown == len(bank)


def test_html_outputs_are_shown_as_they_are(site, page):
    shown = 0
    for href in [h for h in pages(site) if h.startswith("notebooks/")]:
        nb = nbformat.read(source_of(href), as_version=4)
        htmls = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
                 if "text/html" in o.get("data", {}) and VEGALITE not in o["data"]]
        if not htmls:
            continue
        page.goto(site["url"] + href)
        body = page.locator("main").inner_text()
        for h in htmls:
            h = re.sub(r"(?s)<style.*?</style>", " ", h if isinstance(h, str) else "".join(h))
            words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", h)).split())
            assert " ".join(words.split()[:12]) in " ".join(body.split()), f"{href}: {words[:80]}"
            shown += 1
    assert shown >= 3
