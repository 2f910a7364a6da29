"""The README's "Platforms" table against what the release workflow builds and tests.

The table is README.md's "## Platforms" section when README.md has one, else
tests/release/platforms.md (the text to paste there). Every artifact column must name exactly
the platforms and artifacts of the matching job matrix of .github/workflows/release.yml, on the
runner the table says; the npm targets must also be node/package.json's napi.targets and the
node/npm/<platform> packages. Run by scripts/test-release.sh (pytest, PyYAML).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
NONE = {"—", "-", ""}


def platforms_text() -> tuple[str, str]:
    """(where, text) of the Platforms section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## Platforms[ \t]*\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if m:
        return "README.md ## Platforms", m.group(1)
    return "tests/release/platforms.md", (ROOT / "tests" / "release" / "platforms.md").read_text(encoding="utf-8")


def parse_table(text: str) -> list[dict[str, str]]:
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[\s:|-]+\|$", lines[i + 1]))
    cells = lambda line: [c.strip().strip("`").strip() for c in line.strip("|").split("|")]  # noqa: E731
    header = cells(lines[start])
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, cells(line), strict=True)))
    return rows


WHERE, TEXT = platforms_text()
ROWS = parse_table(TEXT)
TABLE = {row["Platform"]: row for row in ROWS}
JOBS = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def matrix(job: str) -> list[dict]:
    return JOBS[job]["strategy"]["matrix"]["include"]


def labels(entry: dict) -> list[str]:
    return entry["platforms"] if "platforms" in entry else [entry["platform"]]


def workflow_pairs(job: str, value) -> set[tuple[str, str]]:
    return {(label, value(entry)) for entry in matrix(job) for label in labels(entry)}


def table_pairs(column: str) -> set[tuple[str, str]]:
    return {(row["Platform"], row[column]) for row in ROWS if row[column] not in NONE and row["Runner"] not in NONE}


# (table column, release.yml job, what the table cell says for a matrix entry)
COLUMNS = [
    ("Python wheel", "wheels", lambda e: e["wheel-tag"]),
    ("npm package", "npm", lambda e: f"port-secret-{e['npm']}"),
    ("CLI", "cli", lambda e: e["target"]),
    ("C library", "clib", lambda e: e["target"]),
    ("GitHub Action", "action-test", lambda e: "yes"),
]


def test_table_found_and_well_formed():
    assert ROWS, f"no table in {WHERE}"
    assert list(ROWS[0]) == ["Platform", "Runner", "Python wheel", "npm package", "CLI", "C library", "GitHub Action"], WHERE
    assert len(TABLE) == len(ROWS), f"a platform is listed twice in {WHERE}"


@pytest.mark.parametrize(("column", "job", "value"), COLUMNS, ids=[c[0] for c in COLUMNS])
def test_column_matches_the_release_matrix(column, job, value):
    in_workflow = workflow_pairs(job, value)
    in_table = table_pairs(column)
    assert in_workflow == in_table, (
        f"{WHERE} column {column!r} vs release.yml job {job!r}:\n"
        f"  only in the workflow: {sorted(in_workflow - in_table)}\n"
        f"  only in the table:    {sorted(in_table - in_workflow)}"
    )


@pytest.mark.parametrize("job", sorted({c[1] for c in COLUMNS}))
def test_each_platform_is_built_and_tested_on_the_runner_the_table_names(job):
    for entry in matrix(job):
        for label in labels(entry):
            assert label in TABLE, f"release.yml {job}: platform {label!r} is not a row of {WHERE}"
            assert entry["runner"] == TABLE[label]["Runner"], f"release.yml {job} {label}: runner {entry['runner']} but {WHERE} says {TABLE[label]['Runner']}"


def test_every_table_platform_ships_something():
    for row in ROWS:
        assert any(row[c] not in NONE for c, _, _ in COLUMNS), f"{row['Platform']} ships nothing"


def test_sdist_row_matches_the_sdist_job():
    sdist_rows = [row for row in ROWS if "sdist" in row["Python wheel"]]
    assert len(sdist_rows) == 1, f"{WHERE} needs one row for the sdist"
    steps = " ".join(str(step.get("run", "")) for step in JOBS["sdist"]["steps"])
    assert "test-release.sh --sdist-only" in steps


def test_npm_targets_are_napi_targets_and_npm_dirs():
    pkg = json.loads((ROOT / "node" / "package.json").read_text(encoding="utf-8"))
    assert sorted(e["target"] for e in matrix("npm")) == sorted(pkg["napi"]["targets"]), "release.yml npm targets vs node/package.json napi.targets"
    dirs = sorted(p.parent.name for p in (ROOT / "node" / "npm").glob("*/package.json"))
    assert sorted(e["npm"] for e in matrix("npm")) == dirs, "release.yml npm platforms vs node/npm/*"


def test_wheel_tags_fit_the_targets():
    for entry in matrix("wheels"):
        tag, target = entry["wheel-tag"], entry["target"]
        arch = "x86_64" if target.startswith("x86_64") else "aarch64" if target.startswith("aarch64") else target
        if tag.startswith(("manylinux", "musllinux")):
            assert tag.endswith(arch), entry
            assert tag.startswith(entry["manylinux"].replace("2014", "manylinux2014")), entry
        elif tag.startswith("macosx_"):
            assert tag.endswith("x86_64" if target.startswith("x86_64") else "arm64"), entry
            assert tag.startswith("macosx_" + entry["macos"].replace(".", "_")), entry
        else:
            assert tag == "win_amd64" and target == "x64", entry


def test_action_bundle_carries_an_addon_for_each_action_runner():
    addons = set(JOBS["action-bundle"]["env"]["ACTION_ADDONS"].split())
    npm_of = {label: e["npm"] for e in matrix("npm") for label in labels(e)}
    assert addons == {npm_of[label] for e in matrix("action-test") for label in labels(e)}


def test_publish_jobs_wait_for_every_test_job():
    test_jobs = {"wheels", "sdist", "npm", "npm-pack", "cli", "clib", "action-bundle", "action-test"}
    assert test_jobs <= set(JOBS["attest"]["needs"])
    for job in ("publish-pypi", "publish-npm", "github-release"):
        assert "attest" in JOBS[job]["needs"], job
