"""A student release links only what it holds: every relative link in its notebooks' Markdown and its
Markdown files resolves to a file inside the release, the primer comes with it, and the instructor
notes (answers to the discussion questions) are neither copied nor linked."""
import os
import re
from pathlib import Path

import nbformat
import pytest

from brink.exercises.coursework import MD_LINK, assign

HTML_LINK = re.compile(r'(?:href|src)="([^"]+)"')


def links(release: Path):
    """(file, target) for every relative link of every notebook's Markdown cells and every .md file."""
    found = []
    for path in sorted(release.rglob("*")):
        if path.suffix == ".ipynb":
            texts = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
        elif path.suffix == ".md":
            texts = [path.read_text(encoding="utf-8")]
        else:
            continue
        for text in texts:
            targets = [m.group(3) for m in MD_LINK.finditer(text)] + HTML_LINK.findall(text)
            found += [(path, t) for t in targets if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^#", t)]
    return found


def broken_links(release: Path):
    broken = []
    for path, target in links(release):
        file = target.partition("#")[0]
        resolved = Path(os.path.normpath(path.parent / file))
        inside = resolved == release or release in resolved.parents
        if not (inside and resolved.exists()):
            broken.append(f"{path.relative_to(release)}: {target}")
    return broken


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    full = tmp_path_factory.mktemp("full") / "release"
    one = tmp_path_factory.mktemp("one") / "release"
    assign(full)
    assign(one, exercises=["02-rhetoric"])
    return {"full": full.resolve(), "one": one.resolve()}


@pytest.mark.parametrize("which", ["full", "one"])
def test_every_link_in_a_release_resolves_inside_it(releases, which):
    release = releases[which]
    found = links(release)
    assert len(found) >= 10, found        # the walk sees the lessons' links
    assert not broken_links(release), broken_links(release)


@pytest.mark.parametrize("which", ["full", "one"])
def test_the_instructor_notes_never_reach_students(releases, which):
    release = releases[which]
    assert not (release / "docs" / "instructor-notes").exists()
    for path in release.rglob("*"):
        if path.is_file() and path.suffix in (".ipynb", ".md"):
            text = path.read_text(encoding="utf-8")
            assert "instructor-notes" not in text, path
    lesson = nbformat.read(release / "notebooks" / "00-start-here.ipynb", as_version=4)
    prose = "\n".join(c.source for c in lesson.cells if c.cell_type == "markdown")
    assert "instructor notes" not in prose.lower()
    assert "[primer for students](../docs/primer.md)" in prose     # the rest of the sentence's paragraph stays


def test_the_primer_comes_with_the_release_and_lesson_00_links_it(releases):
    release = releases["full"]
    primer = release / "docs" / "primer.md"
    assert primer.read_bytes() == (Path(__file__).parents[1] / "docs" / "primer.md").read_bytes()
    assert (release / "docs" / "img" / "places-map.svg").is_file()
    nb = nbformat.read(release / "notebooks" / "00-start-here.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "(../docs/primer.md)" in text
    kit = nbformat.read(Path(__file__).parents[1] / "notebooks" / "00-start-here.ipynb", as_version=4)
    assert "instructor-notes/" in "\n".join(c.source for c in kit.cells)   # what the release leaves out


def test_a_one_exercise_release_names_the_others_without_linking_them(releases):
    release = releases["one"]
    assert sorted(p.name for p in (release / "exercises").glob("*.ipynb")) == ["02-rhetoric-exercises.ipynb"]
    nb = nbformat.read(release / "notebooks" / "00-start-here.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "(../exercises/02-rhetoric-exercises.ipynb)" in text
    assert "01-timeline-exercises (not in this release)" in text
    lesson = nbformat.read(release / "notebooks" / "01-timeline.ipynb", as_version=4)
    assert "01-timeline-exercises.ipynb (not in this release)" in lesson.cells[0].source
