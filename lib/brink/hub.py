"""``brink hub-link``: the nbgitpuller link that hands the kit to students on a JupyterHub.

A student who follows the link logs in to the hub; nbgitpuller then clones the
repository into their home (or pulls the instructor's new commits into the copy they
already have, keeping their own changes) and opens the first lesson in JupyterLab.

    brink hub-link --hub https://hub.example.edu --repo https://github.com/me/brink

The link has the form nbgitpuller documents (its link generator builds the same one):
``<hub>/hub/user-redirect/git-pull?repo=…&urlpath=…&branch=…``, each value
form-encoded. ``urlpath`` is ``lab/tree/<folder>/<path to open>``, where ``<folder>``
is the folder nbgitpuller clones into: the last part of the repository address.
"""
from __future__ import annotations

import posixpath
import re
import sys
from urllib.parse import urlencode, urlsplit, urlunsplit

#: the notebook a student lands on
DEFAULT_OPEN = "notebooks/00-start-here.ipynb"

#: repository addresses git clones from: a URL (https, http, git, ssh, file) or scp-like ``user@host:path``
_URL_SCHEMES = ("https", "http", "git", "ssh", "file")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$")


class HubLinkError(ValueError):
    """An address given to ``hub-link`` is not usable; the message names it and says why."""


def _hub_base(hub: str) -> str:
    """The hub's base address, without a trailing slash and without anything from ``/hub/`` on.

    Raises:
        HubLinkError: ``hub`` is not an http(s) address with a host.
    """
    parts = urlsplit(hub.strip()) if isinstance(hub, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise HubLinkError(f"--hub {hub!r} is not a web address; give the hub's address, e.g. https://hub.example.edu")
    if parts.query or parts.fragment:
        raise HubLinkError(f"--hub {hub!r} has a query or a fragment; give only the hub's address, "
                           "e.g. https://hub.example.edu")
    # A hub's pages live under <base>/hub/ (the login page, the home page): keep only the base,
    # so that an address copied from the browser's bar works too.
    path = parts.path
    cut = re.search(r"/hub(/|$)", path)
    if cut:
        path = path[: cut.start()]
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def _check_repo(repo: str) -> str:
    """The repository address, checked to be one git can clone from.

    Raises:
        HubLinkError: ``repo`` is not a URL or a ``user@host:path`` address.
    """
    repo = repo.strip() if isinstance(repo, str) else ""
    parts = urlsplit(repo)
    ok = (parts.scheme in _URL_SCHEMES and (parts.netloc or parts.scheme == "file") and parts.path.strip("/")) \
        or _SCP_LIKE.match(repo)
    if not ok or any(ch.isspace() for ch in repo):
        raise HubLinkError(f"--repo {repo!r} is not a repository address; give a URL such as "
                           "https://github.com/me/brink (or git@host:me/brink.git, or file:///path on the hub)")
    return repo


def clone_folder(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into, inside the student's home.

    nbgitpuller names it after the last part of the repository address, as it is
    (a ``.git`` ending stays).

    Args:
        repo: the repository address.

    Returns:
        The folder's name.

    >>> clone_folder("https://github.com/me/brink")
    'brink'
    >>> clone_folder("https://github.com/me/brink.git/")
    'brink.git'
    """
    return repo.rstrip("/").split("/")[-1]


def _inside(path: str, option: str = "--open") -> str:
    """A relative path (to open, or to clone into), checked to stay inside its folder."""
    path = (path or "").strip().replace("\\", "/")
    norm = posixpath.normpath(path) if path else ""
    if path.startswith("/") or norm == ".." or norm.startswith("../"):
        raise HubLinkError(f"{option} {path!r} leaves its folder; give a relative path inside it, "
                           f"e.g. {DEFAULT_OPEN}" if option == "--open" else
                           f"{option} {path!r} leaves the student's home; give a folder name, e.g. brink")
    return "" if norm in ("", ".") else norm


def hub_link(hub: str, repo: str, branch: str | None = None, open_path: str = DEFAULT_OPEN,
             targetpath: str | None = None) -> str:
    """The nbgitpuller link for ``repo`` on the hub at ``hub``, opening ``open_path`` in JupyterLab.

    Args:
        hub: the hub's address (``https://hub.example.edu``; an address ending in ``/hub/…`` is cut
            before ``/hub``).
        repo: the repository to pull, as git clones it.
        branch: the branch to pull (default: the repository's default branch, as nbgitpuller finds it).
        open_path: the file or folder to open, relative to the repository (``""``: the folder itself).
        targetpath: the folder in the student's home to clone into (default: nbgitpuller's, see
            :func:`clone_folder`).

    Returns:
        The link, to hand to students.

    Raises:
        HubLinkError: an address or path is not usable; the message says which and why.

    >>> print(hub_link("https://hub.example.edu", "https://github.com/me/brink", branch="main"))
    https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fme%2Fbrink&urlpath=lab%2Ftree%2Fbrink%2Fnotebooks%2F00-start-here.ipynb&branch=main
    """
    base = _hub_base(hub)
    repo = _check_repo(repo)
    folder = clone_folder(repo)
    if targetpath is not None:
        target = _inside(targetpath, "--targetpath")
        if not target:
            raise HubLinkError(f"--targetpath {targetpath!r} is empty; name a folder in the student's home")
        folder = target
    inner = _inside(open_path)
    # The order and the names are those of nbgitpuller's link generator: repo, urlpath, branch, targetPath.
    params = [("repo", repo), ("urlpath", posixpath.join("lab/tree", folder, inner).rstrip("/"))]
    if branch:
        if any(ch.isspace() for ch in branch) or branch.startswith("-"):
            raise HubLinkError(f"--branch {branch!r} is not a branch name")
        params.append(("branch", branch))
    if targetpath is not None:
        params.append(("targetPath", folder))
    return f"{base}/hub/user-redirect/git-pull?{urlencode(params)}"


def register(sub) -> None:
    p = sub.add_parser("hub-link", help="print the nbgitpuller link that puts the kit in each student's home on a hub",
                       description="Print the nbgitpuller link for a JupyterHub and a repository: a student who "
                                   "follows it gets the kit in their home (their own changes kept on every later "
                                   "pull) and the first lesson open in JupyterLab.")
    p.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    p.add_argument("--repo", required=True, help="the repository to pull, e.g. https://github.com/me/brink")
    p.add_argument("--branch", default=None, help="the branch to pull (default: the repository's default branch)")
    p.add_argument("--open", dest="open_path", default=DEFAULT_OPEN, metavar="PATH",
                   help=f"the file to open, inside the repository (default: {DEFAULT_OPEN})")
    p.add_argument("--targetpath", default=None, metavar="FOLDER",
                   help="the folder in the student's home to pull into (default: named after the repository)")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        print(hub_link(args.hub, args.repo, args.branch, args.open_path, args.targetpath))
    except HubLinkError as e:
        print(f"brink hub-link: {e}", file=sys.stderr)
        return 1
    return 0
