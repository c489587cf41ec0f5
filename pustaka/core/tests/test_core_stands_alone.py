"""Core imports no domain app: every app may build on core, core builds on none of them (the product
commands live in ``pustaka.commands``; apps add their parts to core's registries instead)."""

import ast
from pathlib import Path

import pustaka

CORE = Path(pustaka.__file__).parent / "core"
ALLOWED = {"pustaka", "pustaka.core", "pustaka.settings"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield node.lineno, str(node.args[0].value)


def _is_domain(module: str) -> bool:
    if not module.startswith("pustaka."):
        return False
    return not any(module == allowed or module.startswith(allowed + ".") for allowed in ALLOWED - {"pustaka"})


def test_core_imports_no_domain_app():
    found = [
        f"{path.relative_to(CORE)}:{line} imports {module}"
        for path in sorted(CORE.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        for line, module in _imports(path)
        if _is_domain(module)
    ]
    assert found == []


def test_the_check_sees_a_domain_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from pustaka.holdings.models import Item\n    return Item\n")
    assert [m for _, m in _imports(sample) if _is_domain(m)] == ["pustaka.holdings.models"]
