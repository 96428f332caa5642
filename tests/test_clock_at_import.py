"""No test reads the clock when it is collected, only when it runs.

A date computed at import (a module constant, a class attribute, a default argument, a parametrize
value) is the date of collection. When the suite crosses midnight in Brussels, the test then compares
yesterday's value with today's and fails for a reason that has nothing to do with the code. This guard
reads every module under tests/ and lists each clock read that runs at import, directly or through a
function defined under tests/ (``_local(3)`` in a parametrize list counts too). A lambda, a fixture or
the test's body reads the clock when the test runs: that is the fix.
"""

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# date.today(), datetime.now(), datetime.utcnow(), timezone.now(), timezone.localdate(), and
# timezone.localtime() without a value (with one it only converts the datetime it is given).
CLOCK_READERS = {"today", "now", "utcnow", "localdate"}

Function = tuple[str, str]  # (module, function name)


def _reads_the_clock(call: ast.Call) -> bool:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return name in CLOCK_READERS or (name == "localtime" and not call.args)


class _Module:
    """One module under tests/: its top-level functions, and the names it imports from tests/."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.name = ".".join((root.name, *path.relative_to(root).with_suffix("").parts))
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.functions = {
            node.name for node in self.tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        # ``from tests.x import f`` and ``from tests import x``: the local name and what it stands for.
        self.imported: dict[str, str] = {
            alias.asname or alias.name: f"{node.module}.{alias.name}"
            for node in self.tree.body
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == root.name
            for alias in node.names
        }

    def resolve(self, call: ast.Call) -> Function | None:
        """The function under tests/ that ``call`` calls (``f(...)`` or ``x.f(...)``), if any."""
        if isinstance(call.func, ast.Name):
            if call.func.id in self.functions:
                return (self.name, call.func.id)
            module, _, name = self.imported.get(call.func.id, "").rpartition(".")
            return (module, name) if module else None
        if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            imported = self.imported.get(call.func.value.id)
            return (imported, call.func.attr) if imported else None
        return None


def _import_time_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """What Python evaluates while importing a module or defining a class: every statement, but of a
    function only its decorators and default arguments (its body runs when it is called)."""
    for statement in body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from statement.decorator_list
            yield from statement.args.defaults
            yield from (default for default in statement.args.kw_defaults if default is not None)
        elif isinstance(statement, ast.ClassDef):
            yield from statement.decorator_list
            yield from statement.bases
            yield from statement.keywords
            yield from _import_time_nodes(statement.body)
        else:
            yield statement


def _eager_calls(node: ast.AST) -> Iterator[ast.Call]:
    """The calls in ``node`` that run when it is evaluated: not those in a lambda's body."""
    if isinstance(node, ast.Lambda):
        return
    if isinstance(node, ast.Call):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _eager_calls(child)


def _clock_functions(modules: list[_Module]) -> set[Function]:
    """Functions under tests/ that read the clock when called, directly or through one another."""
    found: set[Function] = set()
    while True:
        before = len(found)
        for module in modules:
            for node in module.tree.body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                    _reads_the_clock(call) or module.resolve(call) in found
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                ):
                    found.add((module.name, node.name))
        if len(found) == before:
            return found


def clock_reads_at_import(root: Path = TESTS) -> list[str]:
    """``path:line: call`` for each clock read made while a module under ``root`` is imported."""
    modules = [_Module(path, root) for path in sorted(root.rglob("*.py"))]
    clock_functions = _clock_functions(modules)
    return [
        f"{module.path.relative_to(root.parent)}:{call.lineno}: {ast.unparse(call)}"
        for module in modules
        for node in _import_time_nodes(module.tree.body)
        for call in _eager_calls(node)
        if _reads_the_clock(call) or module.resolve(call) in clock_functions
    ]


def test_no_test_reads_the_clock_at_import() -> None:
    findings = clock_reads_at_import()
    assert not findings, "Read the clock when the test runs (a lambda, a fixture), not at import:\n" + (
        "\n".join(findings)
    )


def test_the_guard_finds_each_way_of_reading_the_clock_at_import(tmp_path: Path) -> None:
    root = tmp_path / "tests"
    (root / "web").mkdir(parents=True)
    (root / "web" / "helpers.py").write_text(
        "def in_days(n):\n    return timezone.localdate() + timedelta(days=n)\n"
    )
    source = """
        from tests.web.helpers import in_days
        from tests.web import helpers

        TODAY = date.today()

        def _soon():
            return in_days(3)

        class TestSlots:
            now = timezone.now()

            def test_fine(self, at=lambda: timezone.now()):
                assert timezone.localtime() and datetime.now(UTC)

        @pytest.mark.parametrize("when", [_soon(), helpers.in_days(1), lambda: _soon()])
        def test_a(when, day=timezone.localdate(), *, moment=timezone.localtime()):
            assert in_days(2) > date.today()
    """
    (root / "web" / "test_example.py").write_text(textwrap.dedent(source))
    assert clock_reads_at_import(root) == [
        "tests/web/test_example.py:5: date.today()",
        "tests/web/test_example.py:11: timezone.now()",
        "tests/web/test_example.py:16: _soon()",
        "tests/web/test_example.py:16: helpers.in_days(1)",
        "tests/web/test_example.py:17: timezone.localdate()",
        "tests/web/test_example.py:17: timezone.localtime()",
    ]
