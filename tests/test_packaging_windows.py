"""Windows on paper (it cannot be built here): build.spec's trimming for the Windows layout, the Inno Setup script
and the release workflow say and do what managed Windows PCs need. Static checks, run on Linux."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
ISS = (REPO / "packaging" / "windows" / "qpvdesk.iss").read_text(encoding="utf-8")
WORKFLOW_PATH = REPO / ".github" / "workflows" / "release.yml"
WORKFLOW = yaml.safe_load(WORKFLOW_PATH.read_text(encoding="utf-8"))
BESIDE_PYTHON = Path(sys.executable).parent / "check-jsonschema"
CHECK_JSONSCHEMA = shutil.which("check-jsonschema") or (str(BESIDE_PYTHON) if BESIDE_PYTHON.is_file() else None)


def spec_plugin_regex() -> re.Pattern:
    tree = ast.parse((REPO / "build.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "PLUGIN_RE":
            return re.compile(ast.literal_eval(node.value.args[0]))
    raise AssertionError("PLUGIN_RE absent de build.spec")


def spec_set(name: str) -> set[str]:
    tree = ast.parse((REPO / "build.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} absent de build.spec")


@pytest.mark.parametrize("dest, plugin", [
    (r"PySide6\plugins\platforms\qoffscreen.dll", "platforms/qoffscreen"),  # Windows layout
    (r"PySide6\plugins\platforms\qwindows.dll", "platforms/qwindows"),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "platforms/libqxcb"),  # Linux layout
])
def test_plugin_filter_sees_both_layouts_and_keeps_offscreen_for_the_smoke_test(dest, plugin):
    match = spec_plugin_regex().search(dest)
    assert match and f"{match.group(1)}/{match.group(2)}" == plugin
    assert plugin in spec_set("KEEP_PLUGINS")


def test_windows_only_plugins_are_left_out():
    keep = spec_set("KEEP_PLUGINS")
    for dropped in (r"PySide6\plugins\platforms\qdirect2d.dll", r"PySide6\plugins\platforms\qminimal.dll",
                    r"PySide6\plugins\tls\qschannelbackend.dll", r"PySide6\plugins\imageformats\qjpeg.dll"):
        match = spec_plugin_regex().search(dropped)
        assert match and f"{match.group(1)}/{match.group(2)}" not in keep, dropped


def test_inno_setup_per_user_by_default_all_users_when_elevated():
    lines = ISS.splitlines()
    assert "PrivilegesRequired=lowest" in lines and "PrivilegesRequiredOverridesAllowed=commandline dialog" in lines
    assert "IsAdmin() and not IsAdminInstallMode()" in ISS and "' /ALLUSERS'" in ISS  # elevated or SYSTEM
    assert "/CURRENTUSER" in ISS
    assert "AppLocker" in ISS and "WDAC" in ISS


def test_uninstall_asks_before_deleting_the_users_data_default_no():
    code = ISS[ISS.index("procedure CurUninstallStepChanged"):]
    assert "SuppressibleMsgBox" in code and "MB_DEFBUTTON2" in code and "IDNO)" in code  # silent: kept
    assert "{localappdata}\\qpvdesk" in code and "RegDeleteKeyIncludingSubkeys(HKCU, 'Software\\qpvdesk')" in code


def test_installer_is_signed_only_when_a_certificate_is_given():
    block = ISS[ISS.index("#ifdef Sign"):ISS.index("#endif", ISS.index("#ifdef Sign"))]
    assert "SignTool=qpvsign" in block and "SignedUninstaller=yes" in block


def steps() -> list[dict]:
    return WORKFLOW["jobs"]["windows"]["steps"]


def step_index(text: str) -> int:
    return next(i for i, step in enumerate(steps()) if text in (step.get("run", "") + step.get("name", "")))


def test_workflow_order_tests_build_smoke_installer_upload():
    order = [step_index("pytest"), step_index("pyinstaller --noconfirm"), step_index("--smoke"),
             step_index("choco install innosetup"), step_index("qpvdesk.iss"), step_index("Compress-Archive"),
             step_index("sha256sum")]
    assert order == sorted(order)
    upload = steps()[-1]
    assert upload["uses"].startswith("actions/upload-artifact")
    for artefact in ("windows-setup.exe", "windows-portable.zip", "SHA256SUMS-windows.txt"):
        assert artefact in upload["with"]["path"]
    assert "constraints.txt" in steps()[step_index("Install")]["run"]


def test_workflow_signs_with_a_secret_and_says_so_otherwise():
    cert = steps()[step_index("Code-signing certificate")]
    assert "secrets.WINDOWS_CERT_PFX_BASE64" in str(cert["env"]) and "::warning" in cert["run"]
    sign = steps()[step_index("Sign the executables")]
    assert sign["if"] == "steps.cert.outputs.available == 'true'" and "signtool" in sign["run"].lower()


@pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason='check-jsonschema absent : pip install -e ".[check]"')
def test_workflow_passes_githubs_schema(tmp_path):
    def check(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run([CHECK_JSONSCHEMA, "--builtin-schema", "vendor.github-workflows", str(path)],
                              capture_output=True, text=True, timeout=120)

    result = check(WORKFLOW_PATH)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "release.yml"
    broken.write_text(WORKFLOW_PATH.read_text(encoding="utf-8").replace("runs-on: windows-2022", "runs_on: windows-2022"),
                      encoding="utf-8")
    assert check(broken).returncode != 0  # the check does look at the jobs


def test_constraints_pin_the_app_and_the_build_tools():
    pins = {}
    for raw in (REPO / "packaging" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name.strip()).lower()] = version
    needed = runtime_closure() | {"pyyaml", "pyinstaller", "pyinstaller-hooks-contrib", "pefile"}
    missing = sorted(name for name in needed if not re.fullmatch(r"\d[\w.]*", pins.get(name, "")))
    assert not missing, f"dépendances sans version figée dans packaging/constraints.txt : {missing}"


def runtime_closure() -> set[str]:
    """Every package the app runs on: pyproject's dependencies and, recursively, what they require here (as
    installed; environment markers evaluated, extras followed) — what pip puts in the build venv."""
    import tomllib

    from packaging.requirements import Requirement

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pending = [Requirement(d) for d in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]]
    seen: set[str] = set()
    while pending:
        requirement = pending.pop()
        if norm(requirement.name) in seen:
            continue
        seen.add(norm(requirement.name))
        for raw in metadata.distribution(requirement.name).requires or []:
            sub = Requirement(raw)
            extras = [{"extra": e} for e in (*requirement.extras, "")]
            if sub.marker is None or any(sub.marker.evaluate(e) for e in extras):
                pending.append(sub)
    return seen
