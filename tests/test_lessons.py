"""The lessons' metadata is kept once (notebooks/lessons.toml): the notebooks' header and key-points cells and
README's lesson table are written from it, and the check fails whenever one of them differs."""
import json
import shutil
import sys
import tomllib

import pytest

from kitpaths import KIT

sys.path.insert(0, str(KIT / "scripts"))
import lessons


class Run:
    def __init__(self, argv, capsys):
        capsys.readouterr()
        self.returncode = lessons.main(argv)
        self.stdout, self.stderr = capsys.readouterr()


@pytest.fixture
def check(capsys):
    """``scripts/lessons.py --check --kit KIT`` (its main, in this process): exit status, stdout, stderr."""
    return lambda kit: Run(["--check", "--kit", str(kit)], capsys)


@pytest.fixture
def write(capsys):
    return lambda kit: Run(["--kit", str(kit)], capsys)


@pytest.fixture
def kit(tmp_path):
    """A copy of what the script reads and writes: the notebooks (with lessons.toml) and the README."""
    shutil.copytree(KIT / "notebooks", tmp_path / "notebooks")
    shutil.copy2(KIT / "README.md", tmp_path / "README.md")
    return tmp_path


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_the_notebooks_and_the_readme_are_current(check):
    run = check(KIT)
    assert run.returncode == 0 and run.stderr == "", run.stderr


def test_every_lesson_notebook_is_listed_once_in_order():
    listed = [lesson["notebook"] for lesson in lessons.load()]
    assert listed == sorted(p.stem for p in (KIT / "notebooks").glob("*.ipynb"))
    assert len(set(listed)) == len(listed)


def test_the_header_shows_what_the_file_says():
    lesson = next(item for item in lessons.load() if item["notebook"] == "01-timeline")
    head = "".join(cells(KIT / "notebooks" / "01-timeline.ipynb")[0]["source"])
    assert head.startswith(f"# {lesson['title']}\n") and f"**Time:** {lesson['minutes']} minutes" in head
    for line in lesson["questions"] + lesson["objectives"]:
        assert f"\n- {line}\n" in head + "\n"
    assert "../exercises/01-timeline-exercises.ipynb" in head
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    assert f"| `01-timeline` | {lesson['about']} | {lesson['minutes']} min |" in readme


def test_an_edit_to_the_file_makes_the_check_fail_until_the_script_runs(kit, check, write):
    path = kit / "notebooks" / "lessons.toml"
    text = path.read_text(encoding="utf-8")
    old = tomllib.loads(text)["lesson"][2]
    assert old["notebook"] == "02-rhetoric"
    path.write_text(text.replace(f'"{old["key_points"][0]}"', '"A new key point."', 1)
                    .replace("minutes = 50\n", "minutes = 45\n"), encoding="utf-8")
    before = cells(kit / "notebooks" / "02-rhetoric.ipynb")
    run = check(kit)
    assert run.returncode == 1
    assert "notebooks/02-rhetoric.ipynb differs from notebooks/lessons.toml" in run.stderr
    assert "notebooks/01-timeline.ipynb differs" in run.stderr      # its time changed too (50 → 45)
    assert "README.md differs" in run.stderr and "00-start-here" not in run.stderr
    assert cells(kit / "notebooks" / "02-rhetoric.ipynb") == before, "--check changed a notebook"

    written = write(kit)
    assert written.returncode == 0, written.stderr
    after = cells(kit / "notebooks" / "02-rhetoric.ipynb")
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    points = next(i for i, c in enumerate(after) if "".join(c["source"]).startswith("## Key points"))
    assert changed == [0, points], "only the header and key-points cells change"
    assert "**Time:** 45 minutes" in "".join(after[0]["source"])
    assert "".join(after[points]["source"]).startswith("## Key points\n\n- A new key point.\n")
    assert "| `02-rhetoric` |" in (kit / "README.md").read_text(encoding="utf-8")
    assert "| 45 min |" in (kit / "README.md").read_text(encoding="utf-8")
    assert check(kit).returncode == 0


def test_a_hand_edit_of_a_header_or_the_table_is_caught(kit, check):
    nb = kit / "notebooks" / "03-policy-arguments.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("**Time:** 60 minutes", "**Time:** 90 minutes", 1),
                  encoding="utf-8")
    readme = kit / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("| 30 min |", "| 35 min |", 1), encoding="utf-8")
    run = check(kit)
    assert run.returncode == 1
    assert "notebooks/03-policy-arguments.ipynb differs" in run.stderr and "README.md differs" in run.stderr


@pytest.mark.parametrize("damage, message", [
    ("unlisted", "notebooks/99-new.ipynb is not in notebooks/lessons.toml: add a [[lesson]] table for it"),
    ("missing key", "notebooks/lessons.toml, 00-start-here: missing minutes"),
    ("unknown key", "notebooks/lessons.toml, 00-start-here: unknown key(s) minuets"),
])
def test_a_lesson_the_file_does_not_describe_gets_one_line(kit, check, damage, message):
    path = kit / "notebooks" / "lessons.toml"
    if damage == "unlisted":
        shutil.copy2(kit / "notebooks" / "00-start-here.ipynb", kit / "notebooks" / "99-new.ipynb")
    else:
        new = "minutes = 30\nminuets = 30\n" if damage == "unknown key" else ""
        path.write_text(path.read_text(encoding="utf-8").replace("minutes = 30\n", new, 1), encoding="utf-8")
    run = check(kit)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("lessons: ") and message in run.stderr and run.stderr.count("\n") == 1


def test_the_scripts_examples_hold():
    import doctest
    result = doctest.testmod(lessons)
    assert result.attempted >= 4 and result.failed == 0
