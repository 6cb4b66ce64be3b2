"""pyproject.toml and environment.yml pin the same versions; the docs describe what exists."""
import re
import tomllib

from kitpaths import KIT

def pip_pins():
    project = tomllib.loads((KIT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    return dict(r.split("==") for r in reqs)


def conda_pins():
    """Pins of environment.yml: conda's `name=version` and its pip section's `name==version`."""
    pins = {}
    for line in (KIT / "environment.yml").read_text().splitlines():
        line = line.split("#")[0].rstrip()
        m = re.match(r"\s+- ([A-Za-z0-9_.-]+)==?([^=\s]+)$", line)
        if m and m.group(1) != "python":
            pins[m.group(1)] = m.group(2)
    return pins


def test_every_dependency_is_pinned_exactly():
    project = tomllib.loads((KIT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    assert all("==" in r for r in reqs), reqs


def test_environment_yml_agrees_with_pyproject():
    assert conda_pins() == pip_pins()


def test_environment_installs_the_kit_from_the_repo():
    assert re.search(r"- pip:\n(?:\s+- .*\n)*\s+- -e \.\s*$", (KIT / "environment.yml").read_text())


def test_readme_quick_start_is_two_commands():
    readme = (KIT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme


def test_codebook_documents_every_column():
    import brink
    codebook = (KIT / "data" / "README.md").read_text()
    tables = {"sources": brink.sources(), "source_fields": brink.source_fields(), "events": brink.events(),
              "event_reports": brink.event_reports(), "quotes": brink.quotes(), "claims": brink.claims(),
              "claim_links": brink.claim_links(), "discrepancies": brink.discrepancies(), "people": brink.people()}
    for name, table in tables.items():
        section = codebook.split(f"### `{name}`")
        assert len(section) == 2, f"no section for {name}"
        body = section[1].split("\n### ")[0]
        for col in table.columns:
            assert f"| `{col}` |" in body, f"{name}.{col} is not documented"
