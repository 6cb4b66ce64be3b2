"""Build the course website: every lesson and every exercise as a static page, charts drawn offline.

    python scripts/build_site.py                 # writes _site/ (what `make site` runs)
    python scripts/build_site.py --out DIR

The pages are made from the notebooks as committed (stored outputs, nothing is executed) with
nbconvert's HTML exporter and the small page template below. What a page shows:

- each lesson's prose, code and outputs; HTML outputs (the reading layer's) as they are;
- each stored chart drawn as an interactive chart by vega-embed, with the chart's description
  as visible text under it and its static SVG copy for a browser without JavaScript;
- each exercise without its solution cells (the same cells ``brink assign`` removes), with a
  note on how to answer it in JupyterLab (the answer controls need a running kernel);
- navigation made from the file names: a contents list on every page, and previous / next.

The Vega, Vega-Lite and vega-embed scripts are fetched from the npm registry (``npm pack``, exact
versions below, integrity checked by npm) into ``.cache/vega/`` once, and copied into the site:
the site loads nothing from anywhere else, so it also works from a folder with no network.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import nbformat

from static_charts import SVG, VEGALITE, chart_outputs

KIT = Path(__file__).resolve().parents[1]
#: the scripts that draw the charts: one pinned version each, served by the site itself
VEGA_PACKAGES = {"vega": "5.33.1", "vega-lite": "5.23.0", "vega-embed": "6.29.0"}
SECTIONS = [("notebooks", "Lessons"), ("exercises", "Exercises")]
ANSWER_NOTE = (
    "<p><strong>How to answer these questions.</strong> This page is for reading: the answer controls "
    "need a running Python kernel. Open <code>exercises/{name}.ipynb</code> in JupyterLab (<code>make lab</code> "
    "or <code>python -m brink lab</code> in the kit, or the course hub), choose <em>Run &#9656; Run All Cells</em>, "
    "then answer each question with its controls and press <em>Check</em>. Your answers are saved beside "
    "the notebook.</p>")

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Brink</title>
<link rel="stylesheet" href="{root}static/site.css">
<script src="{root}static/vega.min.js"></script>
<script src="{root}static/vega-lite.min.js"></script>
<script src="{root}static/vega-embed.min.js"></script>
</head>
<body>
<nav class="contents" aria-label="Contents">
<p class="site-title"><a href="{root}index.html">Brink</a></p>
{contents}
</nav>
<main>
{notice}
{body}
<nav class="pager" aria-label="Previous and next">{pager}</nav>
</main>
<script src="{root}static/charts.js"></script>
</body>
</html>
"""

CHARTS_JS = """// Draw every stored chart with vega-embed (the scripts this site serves); the SVG copy stays for no-JS.
document.querySelectorAll("figure.brink-chart").forEach(function (figure) {
  var spec = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
  var target = figure.querySelector(".chart");
  vegaEmbed(target, spec, {actions: false, renderer: "svg"}).then(function () {
    figure.classList.add("drawn");
  }).catch(function (err) {
    target.textContent = "This chart could not be drawn: " + err;
  });
});
"""

CSS = """
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; display: flex; }
nav.contents { width: 16rem; flex: none; padding: 1rem; background: #f4f4f4; min-height: 100vh;
  box-sizing: border-box; font-size: 0.9rem; }
nav.contents ul { padding-left: 1rem; }
nav.contents a[aria-current] { font-weight: bold; color: #1a1a1a; }
main { max-width: 60rem; padding: 1rem 2rem; overflow-x: auto; }
a { color: #005a9c; }
.site-title { font-size: 1.3rem; font-weight: bold; }
.notice { border-left: 4px solid #0072B2; background: #eef5fb; padding: 0.25rem 1rem; margin: 1rem 0; }
.jp-InputPrompt, .jp-OutputPrompt { display: none; }
.jp-InputArea-editor, .highlight { background: #f7f7f7; border-radius: 4px; }
pre { padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
.jp-OutputArea-output pre { background: none; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
figure.brink-chart { margin: 1rem 0; }
figure.brink-chart figcaption { font-size: 0.9rem; color: #333; max-width: 45rem; }
nav.pager { display: flex; justify-content: space-between; margin: 2rem 0; border-top: 1px solid #ccc;
  padding-top: 1rem; }
"""


# --- the chart scripts ----------------------------------------------------------------
def vega_scripts(cache: Path) -> dict[str, Path]:
    """The three chart scripts (and their package.json: version, licence), fetched once from the npm registry into ``cache``.

    Args:
        cache: a folder kept between builds.
    Returns:
        File name in the site → path in the cache.
    Raises:
        SystemExit: npm is missing or the registry could not be reached (one line saying so).
    """
    cache.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, version in VEGA_PACKAGES.items():
        tgz = cache / f"{name}-{version}.tgz"
        if not tgz.exists():
            if not shutil.which("npm"):
                raise SystemExit(f"build_site: npm is needed once to fetch {name}@{version} (apt-get install npm)")
            got = subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(cache)],
                                 capture_output=True, text=True)
            if got.returncode != 0 or not tgz.exists():
                raise SystemExit(f"build_site: npm pack {name}@{version} failed: "
                                 f"{(got.stderr.strip().splitlines() or ['no message'])[-1]}")
        out = cache / f"{name}-{version}"
        if not out.exists():
            with tarfile.open(tgz) as t:
                for member, target in [(f"package/build/{name}.min.js", f"{name}.min.js"),
                                       ("package/package.json", f"{name}.package.json")]:
                    data = t.extractfile(member).read()
                    (out / target).parent.mkdir(parents=True, exist_ok=True)
                    (out / target).write_bytes(data)
        files[f"{name}.min.js"] = out / f"{name}.min.js"
        files[f"{name}.package.json"] = out / f"{name}.package.json"   # its version and licence
    return files


# --- pages ------------------------------------------------------------------------------
def title_of(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return "Untitled"


def chart_html(data: dict, n: int) -> str:
    """The figure that stands for one stored chart: a vega-embed target, the spec, the description, the SVG."""
    spec = data[VEGALITE]
    description = spec.get("description") or ""
    svg = data.get(SVG, "")
    svg = svg if isinstance(svg, str) else "".join(svg)
    spec_json = json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")
    return (f'<figure class="brink-chart" id="chart-{n}">'
            f'<div class="chart"></div>'
            f'<script type="application/json">{spec_json}</script>'
            f'<noscript>{svg}</noscript>'
            f'<figcaption><strong>Chart description:</strong> {html.escape(description)}</figcaption></figure>')


def _items(values) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(str(v))}</li>" for v in values) + "</ul>"


def question_html(q: dict, n: str) -> str:
    """A question as the reader of the page sees it: its prompt and the choices, never the answer.

    Choices come from the question bank as the widget shows them; the items of an ordering question
    are listed alphabetically, so the list never gives the order away.
    """
    kind = q["kind"]
    parts = [f'<div class="brink-question" data-kind="{kind}"><p><strong>Question {n}</strong> '
             f'({html.escape(kind)}): {html.escape(q["prompt"])}</p>']
    if kind in ("single", "evidence"):
        parts.append("<p>Choose one:</p>" + _items(q["options"]))
    elif kind == "multiple":
        parts.append("<p>Choose all that apply:</p>" + _items(q["options"]))
    elif kind == "ordering":
        parts.append("<p>Put in order (listed here alphabetically):</p>" + _items(sorted(map(str, q["items"]))))
    elif kind == "matching":
        parts.append("<p>Match each of these:</p>" + _items(q["left"]) + "<p>to one of these:</p>" + _items(q["right"]))
    elif kind == "numeric":
        parts.append("<p>Answer with a number.</p>")
    elif kind == "written":
        parts.append("<p>Answer in a few sentences.</p>")
    return "".join(parts) + "</div>"


def prepare(nb, exercise: bool, questions: dict | None = None) -> int:
    """Make a notebook ready for the page, in place: charts become figures, solution cells go, and each
    question shown by a widget is written out from the bank.

    Returns:
        The number of charts.
    """
    if exercise:
        nb.cells = [c for c in nb.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
        for cell in nb.cells:
            m = re.search(r'\.show\("([^"]+)"\)', cell.source) if cell.cell_type == "code" else None
            if m and questions and m.group(1) in questions:
                stored = "".join(o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))
                number = re.match(r"Question (\d+)", stored)
                cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": question_html(
                    questions[m.group(1)], number.group(1) if number else m.group(1))})]
    n = 0
    for out in chart_outputs(nb):
        n += 1
        out["data"] = {"text/html": chart_html(out["data"], n)}
    return n


INSTRUCTOR_ONLY = KIT / "docs" / "instructor-notes"


def is_instructor(target: Path) -> bool:
    return target == INSTRUCTOR_ONLY or INSTRUCTOR_ONLY in target.parents


def markdown_page(target: Path, site: Path, instructor: bool) -> str:
    """Render a kit Markdown file (the primer) as a page of the site; returns its path in the site.

    Its own links are rewritten the same way (images copied, other Markdown files rendered too).
    """
    import mistune
    rel = target.relative_to(KIT).with_suffix(".html")
    dest = site / rel
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text("", encoding="utf-8")        # taken: a page linking itself does not recurse
        body = mistune.html(target.read_text(encoding="utf-8"))
        body = rewrite_links(body, target, dest.parent, site, instructor)
        root = "../" * (len(rel.parts) - 1)
        title = (re.search(r"^# (.+)$", target.read_text(encoding="utf-8"), re.M) or [None, rel.stem])[1]
        dest.write_text(PAGE.format(title=html.escape(title), root=root, contents="", notice="", body=body,
                                    pager=""), encoding="utf-8")
    return rel.as_posix()


def rewrite_links(body: str, src: Path, out_dir: Path, site: Path, instructor: bool = False) -> str:
    """Links to notebooks go to their pages; a Markdown file is rendered as a page; another kit file is
    copied into the site. A link to the instructor notes keeps only its words unless ``instructor``."""
    def fix(m: re.Match) -> str:
        href = html.unescape(m.group(2))
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href):
            return m.group(0)
        path, _, frag = href.partition("#")
        target = (src.parent / path).resolve()
        if is_instructor(target) and not instructor:
            return m.group(4)
        if path.endswith(".ipynb"):
            path = path[:-len(".ipynb")] + ".html"
        elif target.is_file() and KIT in target.parents and target.suffix == ".md":
            page = markdown_page(target, site, instructor)
            path = os.path.relpath(site / page, out_dir).replace(os.sep, "/")
        elif target.is_file() and KIT in target.parents:
            dest = site / target.relative_to(KIT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, dest)
        return f'<a{m.group(1)}href="{html.escape(path + ("#" + frag if frag else ""))}"{m.group(3)}>{m.group(4)}</a>'

    def fix_src(m: re.Match) -> str:
        href = html.unescape(m.group(2))
        if not re.match(r"^[a-z][a-z0-9+.-]*:|^/", href):
            target = (src.parent / href).resolve()
            if target.is_file() and KIT in target.parents and not is_instructor(target):
                dest = site / target.relative_to(KIT)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(target, dest)
        return m.group(0)
    body = re.sub(r'<a([^>]*?)href="([^"]*)"([^>]*)>(.*?)</a>', fix, body, flags=re.S)
    return re.sub(r'(<img[^>]*?src=)"([^"]*)"', fix_src, body)


def contents_html(pages: list[dict], current: dict | None, root: str) -> str:
    parts = []
    for folder, heading in SECTIONS:
        items = []
        for p in pages:
            if p["folder"] != folder:
                continue
            cur = ' aria-current="page"' if p is current else ""
            items.append(f'<li><a href="{root}{p["href"]}"{cur}>{html.escape(p["title"])}</a></li>')
        parts.append(f"<h2>{heading}</h2>\n<ul>\n" + "\n".join(items) + "\n</ul>")
    return "\n".join(parts)


def pager_html(pages: list[dict], i: int, root: str) -> str:
    prev = (f'<a rel="prev" href="{root}{pages[i - 1]["href"]}">&larr; {html.escape(pages[i - 1]["title"])}</a>'
            if i > 0 else '<span></span>')
    nxt = (f'<a rel="next" href="{root}{pages[i + 1]["href"]}">{html.escape(pages[i + 1]["title"])} &rarr;</a>'
           if i + 1 < len(pages) else '<span></span>')
    return prev + nxt


def build(out: Path, cache: Path, instructor: bool = False) -> dict:
    """Build the whole site into ``out`` (emptied first).

    Args:
        out: the site folder; cache: where the chart scripts are kept between builds.
    Returns:
        A summary: ``{"pages": [...], "charts": {href: n}}`` (the browser suite reads it from ``site.json``).
    """
    from nbconvert import HTMLExporter
    from pygments.formatters import HtmlFormatter

    scripts = vega_scripts(cache)
    if out.exists():
        shutil.rmtree(out)
    (out / "static").mkdir(parents=True)
    for name, path in scripts.items():
        shutil.copyfile(path, out / "static" / name)
    (out / "static" / "charts.js").write_text(CHARTS_JS, encoding="utf-8")
    (out / "static" / "site.css").write_text(CSS + HtmlFormatter().get_style_defs(".highlight"), encoding="utf-8")

    pages = []
    for folder, _ in SECTIONS:
        for src in sorted((KIT / folder).glob("*.ipynb")):
            nb = nbformat.read(src, as_version=4)
            pages.append({"folder": folder, "src": src, "nb": nb, "title": title_of(nb),
                          "href": f"{folder}/{src.stem}.html"})
    from brink.exercises.bank import load_bank
    questions = {q["id"]: q for q in load_bank()["questions"]}
    exporter = HTMLExporter(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True)
    summary = {"pages": [], "charts": {}}
    for i, page in enumerate(pages):
        exercise = page["folder"] == "exercises"
        n = prepare(page["nb"], exercise, questions)
        body, _ = exporter.from_notebook_node(page["nb"])
        body = rewrite_links(body, page["src"], out / page["folder"], out, instructor)
        notice = f'<div class="notice">{ANSWER_NOTE.format(name=page["src"].stem)}</div>' if exercise else ""
        (out / page["href"]).parent.mkdir(exist_ok=True)
        (out / page["href"]).write_text(PAGE.format(
            title=html.escape(page["title"]), root="../", contents=contents_html(pages, page, "../"),
            notice=notice, body=body, pager=pager_html(pages, i, "../")), encoding="utf-8")
        summary["pages"].append(page["href"])
        summary["charts"][page["href"]] = n

    intro = ("<h1>Brink: the January 2020 U.S.–Iran crisis</h1>"
             f"<p>A course in reading a crisis from its sources: {len([p for p in pages if p['folder'] == 'notebooks'])} "
             f"lessons and {len([p for p in pages if p['folder'] == 'exercises'])} exercise notebooks. "
             "The lessons are shown here with their stored results; charts are interactive (hover for "
             "details). To run the code and answer the exercises, open the kit in JupyterLab "
             "(see the kit's README).</p>" + contents_html(pages, None, ""))
    (out / "index.html").write_text(PAGE.format(
        title="Contents", root="", contents=contents_html(pages, None, ""), notice="", body=intro,
        pager=pager_html([{}] + pages, 0, "")), encoding="utf-8")
    (out / "site.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build the course website from the committed notebooks.")
    ap.add_argument("--out", type=Path, default=KIT / "_site")
    ap.add_argument("--cache", type=Path, default=KIT / ".cache" / "vega")
    ap.add_argument("--instructor", action="store_true",
                    help="also publish the instructor notes (answers to the discussion questions): not for a public site")
    args = ap.parse_args(argv)
    summary = build(args.out, args.cache, instructor=args.instructor)
    print(f"site: {len(summary['pages'])} pages, {sum(summary['charts'].values())} charts -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
