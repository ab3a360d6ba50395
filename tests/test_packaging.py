"""What `pip install .` gives a user (the deployment files wrapping it: test_deploy.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from gherkin.parser import Parser

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_a_working_casewright_with_sample_and_templates(tmp_path: Path) -> None:
    """Build the wheel as `pip install .` does, install it alone, and run the main job."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("casewright-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("casewright/agents/fixed_pipeline.py", "casewright/tools/workspace.py",
                 "casewright/memory/__init__.py", "casewright/prompts/fixed_pipeline.toml",
                 "casewright/sample_workspace/casewright.toml",
                 "casewright/sample_workspace/jira/CC-101.json",
                 "casewright/sample_workspace/confluence/vulnerable-customers-register.md",
                 "casewright/sample_workspace/tests/wave2-uat-drafts.json"):
        assert name in names, name
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, timeout=300)
    result = subprocess.run(
        [sys.executable, "-m", "casewright", "run", "--epic", "CC-1", "-p", "fixed", "-f",
         "gherkin", "-o", "out"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True,
        timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert f"workspace: {site}" in result.stderr
    features = sorted((tmp_path / "out").glob("*.feature"))
    assert len(features) == 5
    for feature in features:
        Parser().parse(feature.read_text(encoding="utf-8"))
    # From the clone's root its casewright/ folder shadows the installed package; the mapped
    # subpackages must still import (-S: no .pth files, so no editable install helps).
    deps = next(p for p in sys.path if p.endswith("site-packages"))
    beside = subprocess.run(
        [sys.executable, "-S", "-c", "import casewright.tools.workspace as w, "
         "casewright.design.reading, casewright.memory.models; print(w.__file__)"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{deps}"},
        capture_output=True, text=True, timeout=120, check=False)
    assert beside.returncode == 0, beside.stderr
    assert beside.stdout.strip() == str(ROOT / "tools" / "workspace.py")
