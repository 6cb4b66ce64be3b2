"""Installing the kit prints no alarm: setuptools' "Package would be ignored" warnings (one per data
folder not declared as a package) are gone, and the wheel still ships every data file (issue 20)."""
import subprocess
import sys
import zipfile

from kitpaths import KIT


def test_building_the_wheel_warns_of_no_ignored_package(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", str(KIT), "-w", str(tmp_path)],
                           capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    log = built.stdout + built.stderr
    assert "bdist_wheel" in log or "Building wheel" in log       # the verbose build log was read
    assert "would be ignored" not in log, log[log.find("would be ignored") - 400:][:1200]
    (wheel,) = tmp_path.glob("brink-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for sub in ("annotations", "map", "sources", "vocabularies"):
        shipped = {n for n in names if n.startswith(f"brink/_data/{sub}/")}
        expected = {f"brink/_data/{sub}/{p.name}" for p in (KIT / "data" / sub).iterdir() if p.is_file()}
        assert shipped == expected, sub
