"""The checked-table cache: a second kernel skips the check for the same files; any changed byte is checked in full."""
import os
import shutil
import subprocess
import sys

import pytest

import brink
from brink.dataset import loaders
from kitpaths import DATA

#: a kernel that loads the events and says how its tables were built and whether the check ran
KERNEL = """
import hashlib
import brink.dataset.check as check
runs = []
real = check.check_folder
check.check_folder = lambda folder: runs.append(str(folder)) or real(folder)
import brink
from brink.dataset import loaders
try:
    events = brink.events()
except brink.DataError as e:
    print("error", e)
else:
    print(list(loaders.built.values())[0], len(runs), hashlib.sha256(events.to_csv().encode()).hexdigest())
"""


def kernel(env) -> list:
    done = subprocess.run([sys.executable, "-c", KERNEL], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.split(maxsplit=2)


def environment(base) -> dict:
    return {**os.environ, "BRINK_DATA": str(base / "data"), "BRINK_CACHE": str(base / "cache")}


@pytest.fixture
def folder(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy, environment(tmp_path)


@pytest.fixture(scope="module")
def first_kernel(tmp_path_factory):
    """A copy of the data folder, the cache its first kernel left, and what that kernel printed: it checked
    the folder in full, once. Run once for the tests that start from there (the entry is keyed by what the
    files hold, not where they are, so each test's copy of both finds it)."""
    base = tmp_path_factory.mktemp("first-kernel")
    shutil.copytree(DATA, base / "data")
    first = kernel(environment(base))
    assert first[:2] == ["checked", "1"]
    return base, first


@pytest.fixture
def cached(first_kernel, tmp_path):
    """A fresh copy of ``first_kernel``'s data folder and cache: (folder, environment, the first kernel's output)."""
    base, first = first_kernel
    for name in ("data", "cache"):
        shutil.copytree(base / name, tmp_path / name)
    return tmp_path / "data", environment(tmp_path), first


def test_a_second_kernel_serves_the_checked_tables_without_checking(cached):
    _, env, first = cached
    second = kernel(env)
    assert second[:2] == ["cache", "0"], "the second kernel checked the folder again"
    assert second[2] == first[2], "the cached events differ from the checked ones"


def test_one_changed_byte_is_checked_in_full_in_a_new_kernel(cached):
    copy, env, _ = cached
    path = copy / "annotations" / "events.csv"
    data = path.read_bytes()
    at = data.index(b"2020-01-03")
    path.write_bytes(data[:at] + b"2020-01-0x" + data[at + 10:])       # one byte, same length
    out = " ".join(kernel(env))
    assert out.startswith("error data/annotations/events.csv, row ") and "column 'date'" in out, out
    assert "cannot read '2020-01-0x' as a date" in out


def test_one_changed_byte_is_seen_by_a_running_kernel(broken_data, monkeypatch, tmp_path):
    monkeypatch.setenv("BRINK_CACHE", str(tmp_path / "cache"))
    assert "EV15" in set(brink.events()["event_id"])
    path = broken_data.root / "annotations" / "events.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"EV15,", b"EV1x,", 1))
    with pytest.raises(brink.DataError, match="EV15"):
        brink.events()     # the reports still name EV15, which no event has now
    path.write_bytes(data)
    assert "EV15" in set(brink.events()["event_id"])


def test_a_tampered_or_truncated_entry_is_ignored(cached):
    copy, env, _ = cached
    entries = list((copy.parent / "cache" / "tables").glob("*.pickle"))
    assert len(entries) == 1
    entries[0].write_bytes(entries[0].read_bytes()[:100])
    assert kernel(env)[:2] == ["checked", "1"]


def test_no_cache_where_none_can_be_written(folder, tmp_path):
    _, env = folder
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    env = {**env, "BRINK_CACHE": str(blocker)}
    assert kernel(env)[:2] == ["checked", "1"]
    assert kernel(env)[:2] == ["checked", "1"], "with nowhere to keep it, every kernel checks in full"
    off = {**env, "BRINK_CACHE": "off"}
    assert kernel(off)[:2] == ["checked", "1"] and not (tmp_path / "cache").exists()


@pytest.mark.skipif(os.name != "posix", reason="folder permissions are POSIX")
def test_an_entry_in_a_folder_others_may_write_is_not_read(cached):
    copy, env, _ = cached
    tables = copy.parent / "cache" / "tables"
    tables.chmod(0o777)
    assert kernel(env)[:2] == ["checked", "1"]


def test_brink_check_checks_in_full_whatever_is_cached(cached, capsys, monkeypatch):
    copy, env, _ = cached
    assert list((copy.parent / "cache" / "tables").glob("*.pickle")), "an entry is cached for the folder"
    path = copy / "annotations" / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"2020-01-03", b"2020-01-0x", 1))
    from brink.cli import main
    assert main(["check", str(copy)]) == 1
    assert "cannot read '2020-01-0x' as a date" in capsys.readouterr().out


def test_the_running_kernel_knows_how_it_built_its_tables(broken_data, monkeypatch, tmp_path):
    monkeypatch.setenv("BRINK_CACHE", "off")
    brink.events()
    assert loaders.built[str(broken_data.root.resolve())] == "checked"


def test_an_opened_folder_is_checked_once_and_again_after_one_changed_byte(tmp_path, monkeypatch):
    # brink agree and the exporters open folders through open_folder: a folder whose files passed the whole
    # check already (here, in this process) is read without checking again; one changed byte is checked in full.
    from brink.dataset import check
    from brink.export._folder import open_folder
    monkeypatch.setenv("BRINK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(check, "_clean", set())   # forget the kit's own folder, checked by earlier tests
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    runs = []
    real = check.check_folder
    monkeypatch.setattr(check, "check_folder", lambda folder: runs.append(folder) or real(folder))
    first = open_folder(copy)
    assert len(runs) == 1
    again = open_folder(copy)
    assert len(runs) == 1, "the same files were checked twice"
    assert again.rows == first.rows and again.texts == first.texts
    path = copy / "annotations" / "events.csv"
    data = path.read_bytes()
    at = data.index(b"2020-01-03")
    path.write_bytes(data[:at] + b"2020-01-0x" + data[at + 10:])       # one byte, same length
    with pytest.raises(brink.DataError, match=r"events\.csv, row \d+, column 'date'.*cannot read '2020-01-0x'"):
        open_folder(copy)
    assert len(runs) == 2


def test_a_folder_the_cache_holds_is_opened_without_checking(folder, monkeypatch):
    # A kernel that built the tables stored them under the folder's signature: that entry says these very
    # files passed the whole check, so a later open_folder (brink agree, an export) does not check them again.
    copy, env = folder
    assert kernel(env)[:2] == ["checked", "1"]
    code = ("import brink.dataset.check as check; runs = []; real = check.check_folder;"
            "check.check_folder = lambda f: runs.append(f) or real(f);"
            "from brink.export._folder import open_folder; import sys;"
            "print(len(open_folder(sys.argv[1]).rows['events']), len(runs))")
    out = subprocess.run([sys.executable, "-c", code, str(copy)], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    rows, runs = out.stdout.split()
    assert int(rows) > 0 and runs == "0"
