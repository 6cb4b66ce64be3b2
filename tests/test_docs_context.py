"""The primer and the instructor notes: every outside fact is marked and cited, every link resolves,
and the notes answer the discussion questions the lessons ask now."""
import json
import re

import pytest

from kitpaths import KIT

DOCS = [KIT / "docs" / "primer.md", *sorted((KIT / "docs" / "instructor-notes").glob("*.md"))]
LESSONS = ["00-start-here", "01-timeline", "02-rhetoric", "03-policy-arguments", "04-source-comparison",
           "05-coding-together", "06-forecasting-as-of"]
LINK = re.compile(r"\[[^\]]+\]\(([^)\s]+)\)")
DATED = re.compile(r"\b(19|20)\d\d\b|\b\d{1,2} (January|February|March|April|May|June|July|August|September|"
                   r"October|November|December)\b")
FROM_THE_TEXTS = re.compile(r"\b00\d\b|\b(EV|Q|C)\d\d\b|\blesson\b|brink\.|the texts?\b|data/", re.I)


def blocks(text):
    """Paragraphs, list items and table rows, each as one string (headings and code left out)."""
    out, cur = [], []
    for line in text.splitlines():
        starts = line.startswith(("- ", "| ", "#")) or not line.strip()
        if starts and cur:
            out.append(" ".join(cur))
            cur = []
        if line.startswith("#") or not line.strip() or set(line.strip()) <= set("|-"):
            continue
        cur.append(line.strip())
    if cur:
        out.append(" ".join(cur))
    return out


def problems(text):
    """What the citation rule finds wrong in a document."""
    found = []
    for b in blocks(text):
        marked = re.match(r"(- )?\*\*(Context|Disputed)", b)
        links = [u for u in LINK.findall(b) if u.startswith(("http://", "https://"))]
        if marked and b.lstrip("- ").startswith("**Context") and not links:
            found.append(f"context without a cited address: {b[:80]}")
        elif DATED.search(b) and not links and not FROM_THE_TEXTS.search(b):
            found.append(f"a dated fact with neither a source nor an address: {b[:80]}")
    return found


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_outside_fact_carries_a_citation(path):
    text = path.read_text(encoding="utf-8")
    assert problems(text) == []
    assert "**Context" in text or path.name == "README.md"


def test_the_rule_catches_an_uncited_fact():
    assert problems("On 5 January 2020 Iraq's parliament voted.")
    assert problems("- **Context:** Iraq's parliament voted to expel foreign troops.")
    assert not problems("- **Context:** It voted ([a page](https://example.org/x)).")
    assert not problems("The strike came at 12:47 a.m. on 3 January in Baghdad (001).")


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_links_resolve(path):
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://")):
            assert re.match(r"https?://[\w.-]+\.[a-z]{2,}(/|$|\?)", target), target
        else:
            assert (path.parent / target.split("#")[0]).exists(), f"{path.name}: {target}"


def discussion_questions(stem):
    nb = json.loads((KIT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and src.startswith("## Discussion questions"):
            return re.findall(r"^(\d+)\. (.+)$", src, re.M)
    return []


@pytest.mark.parametrize("stem", LESSONS)
def test_notes_answer_each_discussion_question_the_lesson_asks(stem):
    notes = (KIT / "docs" / "instructor-notes" / f"{stem}.md").read_text(encoding="utf-8")
    questions = discussion_questions(stem)
    assert questions
    for n, q in questions:
        assert f"### {n}. {q.strip()}" in notes, f"docs/instructor-notes/{stem}.md does not answer question {n}: {q}"
    for heading in ("## Answers to the discussion questions", "## Common misconceptions", "## What the texts leave out"):
        assert heading in notes


def test_primer_covers_the_terms_and_shows_the_map():
    primer = (KIT / "docs" / "primer.md").read_text(encoding="utf-8")
    for term in ("Quds Force", "Kata'ib Hezbollah", "Popular Mobilization Forces", "JCPOA", "8 May 2018",
                 "maximum pressure", "ICD 203", "Brier", "## Who is who"):
        assert term.lower() in primer.lower(), term
    assert "](img/places-map.svg)" in primer


def test_readme_and_lesson_00_link_the_primer_and_notes():
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    assert "docs/primer.md" in readme and "docs/instructor-notes/" in readme
    nb = (KIT / "notebooks" / "00-start-here.ipynb").read_text(encoding="utf-8")
    assert "../docs/primer.md" in nb and "../docs/instructor-notes/" in nb
