"""The test suite runs on Windows too (the release workflow runs it there before building): a Unix-only function
called without a guard raises AttributeError there and stops the release. Checked statically, here on Linux."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
UNIX_ONLY_ATTRIBUTES = {
    ("os", name) for name in ("geteuid", "getuid", "getgid", "getegid", "fork", "setsid", "killpg", "getpgid",
                              "chown", "mkfifo", "sync", "getloadavg")
} | {("signal", name) for name in ("SIGKILL", "SIGSTOP", "SIGALRM", "SIGHUP", "SIGUSR1")}
UNIX_ONLY_MODULES = {"fcntl", "pwd", "grp", "resource", "termios"}
GUARD_MODULE = "readonly_folder.py"  # the one place that checks for POSIX and skips otherwise


def is_skipif(decorator: ast.expr) -> bool:
    return "skipif" in ast.unparse(decorator)


def unguarded_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_guarded = any(isinstance(node, ast.Assign) and "pytestmark" in ast.unparse(node.targets[0])
                         and "skipif" in ast.unparse(node.value) for node in tree.body)
    found = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            guarded = guarded or any(is_skipif(d) for d in node.decorator_list)
        if not guarded:
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and (node.value.id, node.attr) in UNIX_ONLY_ATTRIBUTES:
                found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
            if isinstance(node, ast.Import):
                found.extend(f"{path.name}:{node.lineno} import {a.name}" for a in node.names
                             if a.name in UNIX_ONLY_MODULES)
            if isinstance(node, ast.ImportFrom) and node.module in UNIX_ONLY_MODULES:
                found.append(f"{path.name}:{node.lineno} from {node.module}")
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, module_guarded)
    return found


def test_no_test_calls_a_unix_only_function_unguarded():
    offenders = [use for path in sorted(TESTS.glob("*.py")) if path.name != GUARD_MODULE for use in unguarded_uses(path)]
    assert offenders == [], "à protéger par @pytest.mark.skipif(…) ou readonly_folder.protect : " + ", ".join(offenders)


def test_the_check_sees_an_unguarded_call(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text("import os\n\ndef test_x():\n    assert os.geteuid() >= 0\n", encoding="utf-8")
    assert unguarded_uses(sample) == ["test_sample.py:4 os.geteuid"]
    sample.write_text("import os, pytest\n\n@pytest.mark.skipif(not hasattr(os, 'geteuid'), reason='x')\n"
                      "def test_x():\n    assert os.geteuid() >= 0\n", encoding="utf-8")
    assert unguarded_uses(sample) == []
