"""`statuspage init`: a new site that checks and builds, with its CI workflow."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml
from click.testing import CliRunner

from statuspage.authoring.init import FILES, STARTER
from statuspage.cli import main
from statuspage.engine.build import build_site, check_site

# The actions the workflow may name, each at a major version that exists.
ACTIONS = {
    "actions/checkout": "v4",
    "actions/setup-python": "v5",
    "actions/upload-pages-artifact": "v3",
    "actions/deploy-pages": "v4",
}


def init(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["init", *args])
    return result.exit_code, result.stdout, result.stderr


def test_init_makes_a_site_that_checks_and_builds(tmp_path: Path) -> None:
    site = tmp_path / "status"
    code, out, err = init(str(site))
    assert (code, err) == (0, "")
    assert out.splitlines()[:5] == [f"Wrote {site.as_posix()}/{path}" for path in FILES.values()]
    for source, target in FILES.items():
        assert (site / target).read_bytes() == (STARTER / source).read_bytes()
    assert check_site(site).incidents  # the example incident
    for command in ("check", "build"):  # as the workflow runs them
        result = CliRunner().invoke(main, [command, "--root", str(site)])
        assert result.exit_code == 0, result.stderr
    result = build_site(site, site / "public", datetime(2026, 12, 3, tzinfo=UTC))
    assert (site / "public" / "index.html").exists()
    headers = (site / "public" / "_headers").read_text()  # Netlify, Cloudflare Pages
    assert "/api/*\n  Access-Control-Allow-Origin: *\n" in headers
    assert "/badges/*\n  Access-Control-Allow-Origin: *\n" in headers
    assert result.files > 10
    assert (site / ".gitignore").read_text().splitlines()[1:] == ["public/", ".statuspage-cache/"]


def test_init_writes_over_nothing_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "statuspage.yaml").write_text("title: Mine\n")
    code, out, err = init(str(tmp_path))
    assert (code, out) == (2, "")
    assert err == (
        f"error: {tmp_path}: statuspage.yaml exists already; nothing was written "
        "(--force writes over them)\n"
    )
    assert (tmp_path / "statuspage.yaml").read_text() == "title: Mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["statuspage.yaml"]
    code, _, _ = init(str(tmp_path), "--force")
    assert code == 0 and (tmp_path / "statuspage.yaml").read_text().startswith("# Your status")


def test_the_workflow_checks_builds_publishes_and_probes(tmp_path: Path) -> None:
    init(str(tmp_path))
    workflow = yaml.safe_load((tmp_path / ".github/workflows/status.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    assert triggers["schedule"] == [{"cron": "*/5 * * * *"}]
    jobs = workflow["jobs"]
    used = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    for action in used:
        name, _, version = action.partition("@")
        assert ACTIONS.get(name) == version, action  # existing, pinned to a major version
        assert re.fullmatch(r"v\d+", version)
    assert set(ACTIONS) <= {action.partition("@")[0] for action in used}

    def runs(job: str) -> str:
        return "\n".join(step.get("run", "") for step in jobs[job]["steps"])

    assert "statuspage check" in runs("check") and "pull_request" in jobs["check"]["if"]
    assert "statuspage probe" in runs("probe")
    assert jobs["probe"]["concurrency"] == {"group": "status-data", "cancel-in-progress": False}
    assert 'git push --force origin "$commit:refs/heads/status-data"' in runs("probe")
    assert "-lt 3600" in runs("probe")  # the hour's runs amend one commit
    assert "statuspage build" in runs("deploy")
    assert jobs["deploy"]["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }
