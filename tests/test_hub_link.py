"""``brink hub-link``: the nbgitpuller link for a hub and a repository, and its bad input.

The link is checked against the form nbgitpuller documents (its link generator sets
``repo``, ``urlpath``, ``branch``, ``targetPath`` with URLSearchParams, i.e. form-encoded,
on ``<hub>/hub/user-redirect/git-pull``). tests/hub follows such a link on a real hub.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from brink import cli
from brink.hub import DEFAULT_OPEN, HubLinkError, clone_folder, hub_link

HUB = "https://hub.example.edu"
REPO = "https://github.com/example-org/brink"


def parts(link):
    s = urlsplit(link)
    return s.scheme, s.netloc, s.path, parse_qsl(s.query, keep_blank_values=True)


def test_default_link_opens_the_first_lesson_in_jupyterlab():
    link = hub_link(HUB, REPO)
    assert link == ("https://hub.example.edu/hub/user-redirect/git-pull"
                    "?repo=https%3A%2F%2Fgithub.com%2Fexample-org%2Fbrink"
                    "&urlpath=lab%2Ftree%2Fbrink%2Fnotebooks%2F00-start-here.ipynb")
    scheme, host, path, query = parts(link)
    assert (scheme, host, path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert query == [("repo", REPO), ("urlpath", "lab/tree/brink/" + DEFAULT_OPEN)]


def test_branch_open_path_and_target_folder():
    link = hub_link(HUB, REPO + ".git", branch="spring-2027", open_path="exercises/01-timeline-exercises.ipynb",
                    targetpath="iran-2020")
    assert parts(link)[3] == [("repo", REPO + ".git"),
                              ("urlpath", "lab/tree/iran-2020/exercises/01-timeline-exercises.ipynb"),
                              ("branch", "spring-2027"), ("targetPath", "iran-2020")]


def test_clone_folder_follows_nbgitpuller():
    # nbgitpuller clones into the last part of the address, as it is: a .git ending stays.
    assert clone_folder("https://github.com/me/brink.git") == "brink.git"
    assert clone_folder("https://gitlab.example.edu/group/sub/brink-2027/") == "brink-2027"
    assert clone_folder("git@github.com:me/brink.git") == "brink.git"
    assert parts(hub_link(HUB, "https://github.com/me/brink.git"))[3][1] == (
        "urlpath", "lab/tree/brink.git/notebooks/00-start-here.ipynb")


@pytest.mark.parametrize("hub, base", [
    ("https://hub.example.edu/", "https://hub.example.edu"),
    ("https://hub.example.edu/hub/login", "https://hub.example.edu"),      # copied from the browser
    ("https://hub.example.edu/hub/", "https://hub.example.edu"),
    ("https://example.edu/jupyter/", "https://example.edu/jupyter"),      # a hub under a base path
    ("https://example.edu/jupyter/hub/home", "https://example.edu/jupyter"),
    ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
    ("https://hubble.example.edu/hubs", "https://hubble.example.edu/hubs"),  # "hub" only as a whole part
])
def test_hub_address_forms(hub, base):
    assert hub_link(hub, REPO).startswith(base + "/hub/user-redirect/git-pull?repo=")


def test_values_are_form_encoded_and_decode_back():
    link = hub_link(HUB, "file:///srv/course-repos/brink", open_path="notebooks/my notes & q?.ipynb")
    query = urlsplit(link).query
    assert " " not in query and "&q" not in query and "?" not in query
    assert "my+notes+%26+q%3F.ipynb" in query
    assert dict(parse_qsl(query))["urlpath"] == "lab/tree/brink/notebooks/my notes & q?.ipynb"


def test_open_the_folder_itself():
    assert dict(parts(hub_link(HUB, REPO, open_path=""))[3])["urlpath"] == "lab/tree/brink"


@pytest.mark.parametrize("kwargs, word", [
    ({"hub": "hub.example.edu"}, "--hub"),
    ({"hub": "ftp://hub.example.edu"}, "--hub"),
    ({"hub": "https://"}, "--hub"),
    ({"hub": "https://hub.example.edu/?next=x"}, "--hub"),
    ({"repo": "brink"}, "--repo"),
    ({"repo": "/srv/brink"}, "--repo"),
    ({"repo": "https://github.com"}, "--repo"),
    ({"repo": "https://github.com/me/my brink"}, "--repo"),
    ({"open_path": "../../etc/passwd"}, "--open"),
    ({"open_path": "/etc/passwd"}, "--open"),
    ({"branch": "--upload-pack=x"}, "--branch"),
    ({"targetpath": "../outside"}, "--targetpath"),
    ({"targetpath": ""}, "--targetpath"),
])
def test_bad_input_is_refused_with_the_option_named(kwargs, word):
    args = {"hub": HUB, "repo": REPO, **kwargs}
    with pytest.raises(HubLinkError) as e:
        hub_link(**args)
    assert str(e.value).startswith(word + " ")


def test_command_prints_the_link(capsys):
    assert cli.main(["hub-link", "--hub", HUB, "--repo", REPO, "--branch", "main"]) == 0
    out, err = capsys.readouterr()
    assert out == hub_link(HUB, REPO, branch="main") + "\n"
    assert err == ""


@pytest.mark.parametrize("argv", [
    ["--hub", "not a url", "--repo", REPO],
    ["--hub", HUB, "--repo", "brink"],
])
def test_command_bad_input_is_one_line_and_exit_1(capsys, argv):
    assert cli.main(["hub-link", *argv]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("brink hub-link: --")
    assert "Traceback" not in err
