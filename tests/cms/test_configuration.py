import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ_BY = re.compile(r"""env(?:_bool|_int|_list|_required)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def _variables_read_by(paths):
    names = set()
    for path in paths:
        names.update(READ_BY.findall(path.read_text()))
    return names


def test_every_environment_variable_the_settings_read_is_documented_in_env_example():
    read = _variables_read_by((ROOT / "cms" / "settings").glob("*.py"))
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert read, "the pattern found no variables: has the settings' env() helper been renamed?"
    assert sorted(read - documented) == []


def test_every_environment_variable_is_described_in_the_readme():
    read = _variables_read_by((ROOT / "cms" / "settings").glob("*.py"))
    readme = (ROOT / "README.md").read_text()

    assert sorted(name for name in read if f"`{name}`" not in readme) == []
