"""The resolved bank kept across kernels: an exercise notebook's second kernel skips the generators (and pandas);
a changed byte in the bank or in the data folder resolves it again, with the same errors."""
import os
import shutil
import subprocess
import sys

import pytest

from kitpaths import DATA, KIT

#: a kernel that loads the bank and says how it was resolved, whether pandas was imported, and what it holds
KERNEL = """
import hashlib, json, sys
from pathlib import Path
from brink.exercises import bank
path = Path(sys.argv[1])
try:
    b = bank.load_bank(path)
except bank.BankError as e:
    print("error", e)
else:
    q = {q["id"]: q for q in b["questions"]}
    print(bank.built[str(path.resolve())], "pandas" in sys.modules,
          hashlib.sha256(json.dumps(b, sort_keys=True).encode()).hexdigest(), q["s01"]["prompt"])
"""


def kernel(base) -> list:
    env = {**os.environ, "BRINK_DATA": str(base / "data"), "BRINK_CACHE": str(base / "cache")}
    done = subprocess.run([sys.executable, "-c", KERNEL, str(base / "questions.toml")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().split(maxsplit=3)


@pytest.fixture(scope="module")
def first_kernel(tmp_path_factory):
    """A copy of the data folder and the bank, the cache its first kernel left, and what that kernel printed."""
    base = tmp_path_factory.mktemp("first-bank-kernel")
    shutil.copytree(DATA, base / "data")
    shutil.copy(KIT / "exercises" / "questions.toml", base / "questions.toml")
    first = kernel(base)
    assert first[:2] == ["read", "True"], first      # every generator ran, over the tables (pandas)
    return base, first


@pytest.fixture
def cached(first_kernel, tmp_path):
    base, first = first_kernel
    for name in ("data", "cache"):
        shutil.copytree(base / name, tmp_path / name)
    shutil.copy(base / "questions.toml", tmp_path / "questions.toml")
    return tmp_path, first


def test_a_second_kernel_serves_the_same_bank_without_pandas(cached):
    base, first = cached
    second = kernel(base)
    assert second[:2] == ["cache", "False"], second
    assert second[2] == first[2], "the stored bank differs from the one the generators built"


def test_a_changed_byte_in_the_data_resolves_the_bank_again_with_its_error(cached):
    base, _ = cached
    path = base / "data" / "annotations" / "discrepancies.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",16 missiles,16,", ",16 missiles,17,"), encoding="utf-8")
    out = " ".join(kernel(base))
    assert out.startswith("error questions.toml, question s01, field 'generator': cannot build from the data"), out


def test_a_changed_question_is_seen_by_the_next_kernel(cached):
    base, first = cached
    path = base / "questions.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Which source reports that Iran fired 16 missiles?", "Which source reports that Iran fired 16 missiles in all?"),
        encoding="utf-8")
    again = kernel(base)
    assert again[:2] == ["read", "True"] and again[3] == "Which source reports that Iran fired 16 missiles in all?"


def test_a_truncated_entry_is_ignored_and_nothing_is_kept_where_the_cache_is_off(cached, tmp_path):
    base, first = cached
    (entry,) = (base / "cache" / "bank").glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])
    again = kernel(base)
    assert again[:2] == ["read", "True"] and again[2] == first[2]
    assert kernel(base)[:2] == ["cache", "False"], "the entry written again is served"
    shutil.rmtree(base / "cache")
    env = {**os.environ, "BRINK_DATA": str(base / "data"), "BRINK_CACHE": "off"}
    done = subprocess.run([sys.executable, "-c", KERNEL, str(base / "questions.toml")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.stdout.split()[:2] == ["read", "True"] and not (base / "cache").exists()
