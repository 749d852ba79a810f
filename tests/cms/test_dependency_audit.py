"""Finding 22 of issue 7: the dependency audits must say "could not check" rather than pass silently.

.ci/audit.py runs pip-audit and npm audit; here stand-ins for both play each answer the real tools give:
the advisory database out of reach, a known vulnerability, and a clean bill.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PIP_UNREACHABLE = "print('ERROR:pip_audit._cli:amqp: Dependency not found on PyPI and could not be audited'); exit(1)"
PIP_VULNERABLE = """
path = sys.argv[sys.argv.index('--output') + 1]
open(path, 'w').write(json.dumps({'dependencies': [
    {'name': 'django', 'version': '5.2.0', 'vulns': [{'id': 'PYSEC-2099-1', 'fix_versions': ['5.2.1']}]},
    {'name': 'celery', 'version': '5.5.0', 'vulns': []},
]}))
exit(1)
"""
PIP_CLEAN = """
assert '--strict' in sys.argv and '--require-hashes' in sys.argv
path = sys.argv[sys.argv.index('--output') + 1]
open(path, 'w').write(json.dumps({'dependencies': [{'name': 'django', 'version': '5.2.0', 'vulns': []}]}))
"""
NPM_UNREACHABLE = (
    "print(json.dumps({'message': '405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk'})); exit(1)"
)
NPM_VULNERABLE = """
print(json.dumps({'vulnerabilities': {'sass': {'severity': 'high', 'range': '<1.0.0'}},
                  'metadata': {'vulnerabilities': {'high': 1, 'total': 1}}}))
exit(1)
"""
NPM_CLEAN = "print(json.dumps({'vulnerabilities': {}, 'metadata': {'vulnerabilities': {'total': 0}}}))"


def _stand_in(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\nimport json, sys\n{body}\n")
    path.chmod(0o755)
    return path


def _audit(tmp_path: Path, pip_body: str, npm_body: str) -> subprocess.CompletedProcess:
    env = {
        "PIP_AUDIT": str(_stand_in(tmp_path, "pip-audit", pip_body)),
        "NPM": str(_stand_in(tmp_path, "npm", npm_body)),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "audit.py")], env=env, capture_output=True, text=True, timeout=60
    )


def test_unreachable_advisory_databases_are_reported_as_could_not_check_without_failing(tmp_path):
    result = _audit(tmp_path, PIP_UNREACHABLE, NPM_UNREACHABLE)

    assert result.returncode == 0
    assert "pip-audit: COULD NOT CHECK" in result.stdout
    assert "npm audit: COULD NOT CHECK" in result.stdout
    assert "Dependency not found on PyPI" in result.stdout
    assert "no known vulnerabilities" not in result.stdout


@pytest.mark.parametrize(
    ("pip_body", "npm_body", "named"),
    [(PIP_VULNERABLE, NPM_CLEAN, "PYSEC-2099-1"), (PIP_CLEAN, NPM_VULNERABLE, "sass: high")],
)
def test_a_known_vulnerability_fails_the_build(tmp_path, pip_body, npm_body, named):
    result = _audit(tmp_path, pip_body, npm_body)

    assert result.returncode == 1
    assert "KNOWN VULNERABILITIES" in result.stdout
    assert named in result.stdout


def test_a_vulnerability_fails_the_build_even_when_the_other_audit_could_not_check(tmp_path):
    result = _audit(tmp_path, PIP_VULNERABLE, NPM_UNREACHABLE)

    assert result.returncode == 1
    assert "npm audit: COULD NOT CHECK" in result.stdout


def test_clean_audits_pass_and_say_so(tmp_path):
    result = _audit(tmp_path, PIP_CLEAN, NPM_CLEAN)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "pip-audit: 1 Python packages, no known vulnerabilities" in result.stdout
    assert "npm audit: Node packages in package-lock.json, no known vulnerabilities" in result.stdout


def test_the_audit_checks_the_lock_files_the_project_installs_from():
    requirements_dev = (ROOT / "requirements-dev.lock").read_text()
    assert "\npip-audit==" in requirements_dev
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["lockfileVersion"] >= 2
