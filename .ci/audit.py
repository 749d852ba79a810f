"""Check the locked dependencies against the advisory databases: pip-audit for Python, npm audit for Node.

Each check ends in one of three ways, and says which:
  - no known vulnerabilities: passes;
  - known vulnerabilities: listed, and the build fails;
  - COULD NOT CHECK (the advisory database was out of reach, or a package could not be looked up): said
    loudly, with the tool's own words, and the build does not fail for that alone.
pip-audit runs with --strict, because without it a package it cannot look up is skipped with exit code 0:
the silent pass this script exists to prevent.

Usage: python .ci/audit.py   (PIP_AUDIT and NPM name other executables; the tests use stand-ins)
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSED, VULNERABLE, COULD_NOT_CHECK = "passed", "vulnerable", "could not check"


def _run(command: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(command, returncode=-1, stdout="", stderr=str(exc))


def pip_audit() -> tuple[str, str]:
    executable = os.environ.get("PIP_AUDIT", str(ROOT / ".venv" / "bin" / "pip-audit"))
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "report.json"
        result = _run(
            [
                executable,
                "--strict",
                "--disable-pip",
                "--require-hashes",
                "--requirement",
                "requirements.lock",
                "--requirement",
                "requirements-dev.lock",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report_path),
            ]
        )
        report = _json(report_path.read_text()) if report_path.exists() else None
    if not isinstance(report, dict) or not isinstance(report.get("dependencies"), list):
        return COULD_NOT_CHECK, (result.stderr or result.stdout).strip()
    found = [
        f"{dependency['name']} {dependency['version']}: {vuln['id']}"
        f" (fixed in {', '.join(vuln.get('fix_versions', [])) or 'no release yet'})"
        for dependency in report["dependencies"]
        for vuln in dependency.get("vulns", [])
    ]
    if found:
        return VULNERABLE, "\n".join(found)
    if result.returncode != 0:
        return COULD_NOT_CHECK, (result.stderr or result.stdout).strip()
    return PASSED, f"{len(report['dependencies'])} Python packages, no known vulnerabilities"


def npm_audit() -> tuple[str, str]:
    executable = os.environ.get("NPM", "npm")
    result = _run([executable, "audit", "--json", "--package-lock-only"])
    report = _json(result.stdout)
    counts = report.get("metadata", {}).get("vulnerabilities") if isinstance(report, dict) else None
    if not isinstance(counts, dict) or "total" not in counts:
        reason = report.get("message") if isinstance(report, dict) else None
        return COULD_NOT_CHECK, (reason or result.stderr or result.stdout).strip()
    if counts["total"]:
        found = [
            f"{name}: {details.get('severity')} ({details.get('range', '')})"
            for name, details in report.get("vulnerabilities", {}).items()
        ]
        return VULNERABLE, "\n".join(found) or json.dumps(counts)
    return PASSED, "Node packages in package-lock.json, no known vulnerabilities"


def _json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None


def main() -> int:
    failed = False
    for name, check in (("pip-audit", pip_audit), ("npm audit", npm_audit)):
        outcome, details = check()
        if outcome == PASSED:
            print(f"{name}: {details}")
        elif outcome == VULNERABLE:
            failed = True
            print(f"{name}: KNOWN VULNERABILITIES — the build fails:\n{details}")
        else:
            banner = "!" * 78
            print(f"{banner}\n{name}: COULD NOT CHECK the dependencies against the advisory database.")
            print(f"Nothing is known about their vulnerabilities from this run. The tool said:\n{details}\n{banner}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
