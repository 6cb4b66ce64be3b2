"""The public course site leaves the instructor notes out and shows the primer as a page (issue 20);
the instructor notes are published only when asked for (`build_site.py --instructor`)."""
import re

import pytest


@pytest.fixture
def public(site):
    """The public site (`build_site.py` without flags), built once for the suite (tests/site/conftest.py)."""
    return site["root"]


def test_the_public_site_holds_no_instructor_notes_and_no_raw_markdown(public):
    files = [p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file()]
    assert not [f for f in files if "instructor-notes" in f or f.endswith(".md")], files
    for page in public.rglob("*.html"):
        assert "instructor-notes" not in page.read_text(encoding="utf-8"), page


def test_the_primer_is_a_page_whose_links_resolve(public):
    lesson = (public / "notebooks" / "00-start-here.html").read_text(encoding="utf-8")
    assert 'href="../docs/primer.html"' in lesson
    primer = (public / "docs" / "primer.html").read_text(encoding="utf-8")
    assert "<h1" in primer and "<table" in primer and "site.css" in primer
    for ref in re.findall(r'(?:href|src)="([^"#]+)', primer):
        if not re.match(r"^[a-z]+:", ref):
            assert (public / "docs" / ref).resolve().is_file(), ref


def test_the_instructor_notes_are_published_only_when_asked(build_site, tmp_path):
    site = build_site(tmp_path / "_site", "--instructor")
    lesson = (site / "notebooks" / "00-start-here.html").read_text(encoding="utf-8")
    assert 'href="../docs/instructor-notes/00-start-here.html"' in lesson
    assert "<h1" in (site / "docs" / "instructor-notes" / "00-start-here.html").read_text(encoding="utf-8")
