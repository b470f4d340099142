"""docs/architecture.md drawn from the code's own imports, and the rules the layout keeps.

    python -m skill_tools.architecture            # write docs/architecture.md (make architecture)
    python -m skill_tools.architecture --check    # exit 1 when docs/architecture.md is stale

Only the standard library's ``ast``: nothing is imported, so a module that cannot load is still drawn.
Every import counts, also one inside a function (it is a dependency all the same), except those under
``if TYPE_CHECKING:``. tests/test_architecture.py checks the rules with the same code: no import
circles, no import to a higher layer, the runtime ``skill`` importing nothing of the tools, no Python
file over MAX_LINES, and the committed doc equal to what this writes.
"""
from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = ("skill", "skill_tools")
SCANNED = (*PACKAGES, "lambda")      # lambda/: the Lambda entry point, beside the runtime in the zip

# The layers, lowest first: a module may import its own layer or a lower one, never a higher one. A module
# belongs to the first entry naming it or a package above it. To place a new module, add its name here.
LAYERS: dict[str, tuple[str, ...]] = {
    "text and knowledge": ("skill.text", "skill.triage", "skill.timeline", "skill.content", "skill.countries",
                           "skill"),                    # the package's own __init__: a docstring
    "services": ("skill.speech", "skill.screen", "skill.clock", "skill.place", "skill.storage", "skill.reminders", "skill.slots",
                 "skill.serializer", "skill.envelope_limits", "skill.logsafe"),
    "handlers": ("skill.handlers", "skill.interceptors", "skill.dialog"),
    "builder": ("skill.builder",),
    "entry point": ("lambda.lambda_function",),
    "tools": ("skill_tools.simulator", "skill_tools.model_locales", "skill_tools.content_build",
              "skill_tools.crisis_model_build", "skill_tools.architecture",
              "skill_tools"),                           # the package's own __init__: a docstring
    "tools' front ends": ("skill_tools.web", "skill_tools.review", "skill_tools.validate",
                          "skill_tools.data_command"),
    "command line": ("skill_tools.cli", "skill_tools.__main__"),
}
MAX_LINES = 400
# Python files that are data rather than code, allowed past MAX_LINES (name -> why). None today.
DATA_MODULES: dict[str, str] = {}
# What the runtime must never import: the tools, and the folders beside it that the Lambda zip leaves out.
NOT_RUNTIME = ("skill_tools", "bench", "scripts", "tests", "lambda_function")


@dataclass
class Module:
    name: str
    path: Path
    lines: int
    imports: set[str] = field(default_factory=set)      # modules of PACKAGES it imports
    outside: set[str] = field(default_factory=set)      # top-level names of every other import

    @property
    def unit(self) -> str:
        """What the diagram draws it as: skill's own modules and packages, skill_tools' subpackages."""
        parts = self.name.split(".")
        return ".".join(parts[:2])


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def scan(root: Path = ROOT) -> dict[str, Module]:
    """Every module of SCANNED under ``root``, with what it imports."""
    paths = sorted(p for folder in SCANNED for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts)
    modules = {module_name(p, root): p for p in paths}
    found = {}
    for name, path in modules.items():
        text = path.read_text(encoding="utf-8")
        module = Module(name, path.relative_to(root), len(text.splitlines()))
        is_package = path.name == "__init__.py"
        for target in _imported(ast.parse(text, str(path)), name, is_package):
            if target.split(".")[0] in PACKAGES:
                resolved = _resolve(target, modules)
                if resolved and resolved != name:
                    module.imports.add(resolved)
            else:
                module.outside.add(target.split(".")[0])
        found[name] = module
    return found


def _imported(tree: ast.AST, name: str, is_package: bool) -> list[str]:
    """Dotted names each import statement reaches (``from a import b``: ``a.b``, which may be a module)."""
    out: list[str] = []
    skipped = {id(n) for node in ast.walk(tree) if _is_type_checking(node) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(here + ([base] if base else []))
            out += [f"{base}.{alias.name}" if alias.name != "*" else base for alias in node.names]
    return out


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _resolve(target: str, modules: dict) -> str | None:
    """The longest known module a dotted name starts with (``skill.content.load`` -> ``skill.content``)."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in modules:
            return ".".join(parts[:end])
    return None


def layer_of(name: str) -> str | None:
    for layer, names in LAYERS.items():
        if any(name == n or name.startswith(n + ".") for n in names if n not in PACKAGES):
            return layer
    for layer, names in LAYERS.items():         # a package's own __init__, last: its modules are placed above
        if name in names:
            return layer
    return None


RANK = {layer: i for i, layer in enumerate(LAYERS)}


# ---------------------------------------------------------------- the rules


def unplaced(modules: dict[str, Module]) -> list[str]:
    return sorted(name for name in modules if layer_of(name) is None)


def upward_imports(modules: dict[str, Module]) -> list[tuple[str, str]]:
    """(importer, imported) where the imported module stands in a higher layer."""
    return sorted((m.name, t) for m in modules.values() for t in m.imports
                  if layer_of(m.name) and layer_of(t) and RANK[layer_of(t)] > RANK[layer_of(m.name)])


def runtime_imports_of_tools(modules: dict[str, Module]) -> list[tuple[str, str]]:
    """(runtime module, what it imports) for every import of ``skill`` reaching outside the runtime."""
    return sorted((m.name, t) for m in modules.values() if m.name.split(".")[0] == "skill"
                  for t in m.imports | m.outside if t.split(".")[0] in NOT_RUNTIME)


def cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Each set of modules that import each other round in a circle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:                  # recursive: the graph is a few hundred modules at most
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(modules[v].imports):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(modules):
        if v not in index:
            visit(v)
    return sorted(found)


def oversized(modules: dict[str, Module]) -> list[tuple[str, int]]:
    return sorted((str(m.path), m.lines) for m in modules.values() if m.lines > MAX_LINES and m.name not in DATA_MODULES)


# ---------------------------------------------------------------- the document


def render(modules: dict[str, Module]) -> str:
    """docs/architecture.md: the layers, a diagram of who imports whom, every module with its lines."""
    units: dict[str, list[Module]] = {}
    for m in sorted(modules.values(), key=lambda m: m.name):
        units.setdefault(m.unit, []).append(m)
    edges = sorted({(m.unit, modules[t].unit) for m in modules.values() for t in m.imports
                    if modules[t].unit != m.unit})
    out = ["# Architecture", "",
           "GENERATED by `make architecture` (`python -m skill_tools.architecture`) from the imports of `skill/`, "
           "`skill_tools/` and `lambda/`: do not edit. `tests/test_architecture.py` fails when it is stale, when an import "
           "goes round in a circle or up to a higher layer, when the runtime `skill` imports the tools, or when a "
           f"Python file passes {MAX_LINES} lines.", "",
           "`skill/` is the runtime, exactly what the Lambda zip holds; `skill_tools/` are the tools around it. "
           "A module may import its own layer or a lower one. The layers, lowest first (`LAYERS` in "
           "`skill_tools/architecture.py`):", ""]
    for i, (layer, names) in enumerate(LAYERS.items(), 1):
        out.append(f"{i}. **{layer}**: " + ", ".join(f"`{n}`" for n in names))
    out += ["", "## Who imports whom", "",
            "Modules of `skill/`, and subpackages of `skill_tools/`, each in its layer; an arrow points "
            "from the importer to what it imports.", "", "```mermaid", "flowchart BT"]
    by_layer: dict[str, list[str]] = {}
    for unit in units:
        by_layer.setdefault(layer_of(unit) or "not placed", []).append(unit)
    for i, layer in enumerate([*LAYERS, "not placed"]):
        if layer in by_layer:
            out.append(f'  subgraph L{i}["{layer}"]')
            out += [f'    {_node(u)}["{u}"]' for u in by_layer[layer]]
            out.append("  end")
    out += [f"  {_node(a)} --> {_node(b)}" for a, b in edges]
    out += ["```", "", "## Modules", "",
            "| module | layer | lines | imports (of `skill` and `skill_tools`) |", "|---|---|---:|---|"]
    for m in sorted(modules.values(), key=lambda m: (RANK.get(layer_of(m.name) or "", 99), m.name)):
        lines = f"**{m.lines}**" if m.lines > MAX_LINES and m.name not in DATA_MODULES else str(m.lines)
        imports = ", ".join(f"`{t}`" for t in sorted(m.imports)) or "-"
        out.append(f"| `{m.path.as_posix()}` | {layer_of(m.name) or 'not placed'} | {lines} | {imports} |")
    out += ["", f"{sum(m.lines for m in modules.values())} lines of Python in {len(modules)} modules. "
            f"In bold: over {MAX_LINES} lines.", ""]
    problems = [*("circle: " + ", ".join(f"`{n}`" for n in c) for c in cycles(modules)),
                *(f"upward: `{a}` imports `{b}`" for a, b in upward_imports(modules)),
                *(f"the runtime reaches the tools: `{a}` imports `{b}`" for a, b in runtime_imports_of_tools(modules)),
                *(f"not placed in a layer: `{n}`" for n in unplaced(modules)),
                *(f"over {MAX_LINES} lines: `{path}` ({lines})" for path, lines in oversized(modules))]
    out += ["## What the rules find today", ""] + ([f"- {p}" for p in problems] or ["Nothing."]) + [""]
    return "\n".join(out)


def _node(unit: str) -> str:
    return unit.replace(".", "_")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the doc is stale")
    args = parser.parse_args(argv)
    text = render(scan())
    if args.check:
        if DOC.exists() and DOC.read_text(encoding="utf-8") == text:
            return 0
        print(f"{DOC.relative_to(ROOT)} is stale: run make architecture", file=sys.stderr)
        return 1
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
