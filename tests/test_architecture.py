"""The layering of the package: the graph model knows nothing of ops or execution, op
definitions nothing of the backend that lowers them."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "tfcompat"

#: package -> the tfcompat packages its modules must never import.
FORBIDDEN = {
    "framework": ("tfcompat.ops", "tfcompat.runtime", "tfcompat.client"),
    "ops": ("tfcompat.runtime", "tfcompat.client"),
}


def _imports(path):
    """Every module name ``path`` imports (also inside functions)."""
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for alias in node.names:
                yield f"{node.module}.{alias.name}"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_upward_imports(package):
    offending = []
    for path in sorted((PACKAGE / package).rglob("*.py")):
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package]):
                offending.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offending == []


def test_the_checker_sees_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from tfcompat.runtime import kernels\n")
    assert "tfcompat.runtime" in set(_imports(module))
