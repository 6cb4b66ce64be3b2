"""The library's layering, read from its import statements (``farm-studio look``'s check, done with ``ast``).

The data wing (``brink.dataset``) sits on the foundation (errors, files, settings, paths) and under every
layer that uses it (the reading layer, analysis, exercises, export, the command line). These tests read
every ``import`` in lib/brink, at the top of a module and inside functions alike, and fail when an arrow
runs up out of the data wing or the foundation, or when the imports a module runs on import close a circle.
"""
import ast
from pathlib import Path

from kitpaths import KIT

LIB = KIT / "lib"

#: the modules under the data wing: they import only each other (and the standard library, pandas …)
FOUNDATION = {"brink.errors", "brink.files", "brink.settings", "brink._paths", "brink._python"}

#: arrows that run up out of the data wing today, each with why it is there; a new one fails the test, and
#: one that goes away must be struck off here (the test says so), so the list only shrinks.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def modules() -> dict[str, tuple[Path, str]]:
    """Every module of lib/brink: its name -> (file, the package its relative imports start from)."""
    found = {}
    for path in sorted((LIB / "brink").rglob("*.py")):
        parts = list(path.relative_to(LIB).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
            found[".".join(parts)] = (path, ".".join(parts))
        else:
            found[".".join(parts)] = (path, ".".join(parts[:-1]))
    return found


def imports(name: str, mods: dict, *, on_import_only: bool) -> set[str]:
    """The brink modules ``name`` imports (``from pkg import sub`` counts as an arrow to ``pkg.sub`` only).

    ``on_import_only``: only the statements that run when the module is imported (its top level, and the
    bodies of top-level ``if``/``try``), not those inside functions or under ``if TYPE_CHECKING``.
    """
    path, package = mods[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    if on_import_only:
        nodes, todo = [], list(tree.body)
        while todo:
            node = todo.pop()
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            nodes.append(node)
            if isinstance(node, (ast.If, ast.Try)):
                todo += [*node.body, *node.orelse, *getattr(node, "finalbody", []),
                         *[s for h in getattr(node, "handlers", []) for s in h.body]]
    else:
        nodes = list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in mods}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            subs = {f"{origin}.{a.name}" for a in node.names} & set(mods)
            found |= subs
            if origin in mods and len(subs) < len(node.names):
                found.add(origin)         # a name from the module itself, not only its submodules
    found.discard(name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The circles of a graph: its strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_reader_sees_the_arrows_a_module_has():
    """The graph is read, not assumed: arrows known from the code are in it, and a cycle is found."""
    mods = modules()
    assert len(mods) > 60 and "brink.dataset.spans" in mods
    assert "brink.errors" in imports("brink.dataset.spans", mods, on_import_only=True)
    assert "brink.dataset.moment" in imports("brink.dataset.loaders", mods, on_import_only=False)
    assert "brink.dataset.moment" not in imports("brink.dataset.loaders", mods, on_import_only=True)
    assert "brink.dataset.moment" in imports("brink.analysis.as_of", mods, on_import_only=True)
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_arrow_runs_up_out_of_the_data_wing_or_the_foundation():
    mods = modules()
    wing = {m for m in mods if m == "brink.dataset" or m.startswith("brink.dataset.")}
    upward = set()
    for name in wing | FOUNDATION:
        below = FOUNDATION | (wing if name in wing else set())
        upward |= {(name, to) for to in imports(name, mods, on_import_only=False) if to not in below}
    new = sorted(upward - KNOWN_UPWARD)
    assert not new, f"an import runs up out of the data wing or the foundation: {new}"
    gone = sorted(KNOWN_UPWARD - upward)
    assert not gone, f"strike these off KNOWN_UPWARD, they no longer exist: {gone}"


def test_the_imports_a_module_runs_on_import_close_no_circle():
    mods = modules()
    graph = {m: imports(m, mods, on_import_only=True) for m in mods}
    assert not cycles(graph), cycles(graph)
