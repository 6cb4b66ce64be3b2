"""The docs a newcomer reads first say what the kit does on a stock machine (issue 20)."""
import re

from kitpaths import KIT


def text(name):
    return (KIT / name).read_text(encoding="utf-8")


def test_the_guide_says_how_to_run_brink_before_its_first_command():
    guide = text("docs/instructor-guide.md")
    first_command = re.search(r"^brink \w+", guide, re.M).start()
    opening = guide[:first_command]
    assert ".venv/bin/brink" in opening and "source .venv/bin/activate" in opening


def test_the_hub_guide_names_tljh_s_user_environment_pip_and_assessed_mode():
    hub = text("docs/hub.md")
    assert "/opt/tljh/user/bin/python -m pip install" in hub
    block = hub[hub.index("brink assign ../brink-spring"):][:300]
    assert "--mode assessed" in block


def test_the_readme_installs_into_a_venv_and_says_what_the_wheel_holds():
    readme = text("README.md")
    without_make = readme[readme.index("### Without `make`"):readme.index("### As a package")]
    assert "python3 -m venv .venv" in without_make and "py -m venv .venv" in without_make
    assert "\npython -m venv" not in without_make
    package = readme[readme.index("### As a package"):readme.index("| install | adds |")]
    assert "not the notebooks" in package and "a student needs nothing else" not in package


def test_the_guide_installs_a_release_into_a_venv_and_describes_papers():
    guide = text("docs/instructor-guide.md")
    laptops = guide[guide.index("**On laptops.**"):guide.index("## 2. Students answer")]
    assert "python3 -m venv .venv" in laptops and "py -m venv .venv" in laptops
    assert "\npython -m pip" not in laptops
    assert "brink papers --roster" in laptops and "--papers" in laptops


def test_every_locked_version_installs_on_the_pythons_the_readme_names():
    """`make lab` on Debian 12's own Python 3.11.2 stopped at the lock: soupsieve 4.1.2 wants Python >= 3.11.5.

    The lock is installed in this venv (it is `pip freeze` of one), so each pin's Requires-Python is read here.
    """
    import importlib.metadata
    import tomllib

    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    assert "You need Python 3.11 or newer" in text("README.md")
    kit_range = SpecifierSet(tomllib.loads(text("pyproject.toml"))["project"]["requires-python"])
    pythons = [v for v in ("3.11.0", "3.11.2", "3.11.4", "3.12.0", "3.13.0") if Version(v) in kit_range]
    assert pythons[0] == "3.11.0"
    refused = []
    for line in text("requirements/lock.txt").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, version = line.partition("==")
        meta = importlib.metadata.metadata(name)
        assert meta["Version"] == version, f"{name}: {meta['Version']} installed, {version} locked"
        wants = SpecifierSet(meta.get("Requires-Python") or "")
        refused += [f"{name}=={version} wants Python {wants}, refusing {v}" for v in pythons if Version(v) not in wants]
    assert refused == []


def code_by_section(name):
    """(heading, command) for every fenced line and inline code span of a Markdown file."""
    heading, out = "", []
    for block in re.split(r"^(#+ .*)$", text(name), flags=re.M):
        if re.fullmatch(r"#+ .*", block):
            heading = block
            continue
        for fenced in re.findall(r"^```[^\n]*\n(.*?)^```", block, re.S | re.M):
            out += [(heading, line.strip()) for line in fenced.splitlines()]
        out += [(heading, span) for span in re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", block, flags=re.S | re.M))]
    return out


def test_no_command_for_a_newcomer_runs_a_bare_python():
    """Walked on a stock machine: there is no `python` (Debian, macOS), and python3 has none of the kit's packages.

    Found: README's `python scripts/build_site.py --instructor`, `python scripts/lessons.py`, the guide's
    `python -m brink.exercises.build` and its laptop walk-through's `python -m pip install ".[lab]"` outside a venv.
    Only a conda environment (which has `python`) may say plain `python`.
    """
    bare = [(name, heading, cmd) for name in ("README.md", "docs/instructor-guide.md")
            for heading, cmd in code_by_section(name)
            if re.match(r"python (-m|-c|scripts/)", cmd) and heading != "### With conda"]
    assert bare == []
    assert ("### With conda", "python -m brink lab") in code_by_section("README.md")     # the scan reads fenced blocks
    assert any(c.startswith(".venv/bin/python scripts/build_site.py") for _, c in code_by_section("README.md"))


def test_the_readme_names_the_lessons_that_have_exercises():
    """Walked as found: the README said "one exercise notebook per lesson"; lessons 00 and 06 have none."""
    row = next(line for line in text("README.md").splitlines() if line.startswith("| `exercises/` |"))
    lessons = {p.name[:2] for p in (KIT / "notebooks").glob("0*.ipynb")}
    with_exercises = {p.name[:2] for p in (KIT / "exercises").glob("*-exercises.ipynb")}
    span = re.search(r"lessons (\d\d)–(\d\d) \(lessons (\d\d) and (\d\d) have none\)", row)
    assert span, row
    assert {f"{n:02d}" for n in range(int(span[1]), int(span[2]) + 1)} == with_exercises
    assert {span[3], span[4]} == lessons - with_exercises
