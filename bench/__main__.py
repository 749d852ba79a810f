import argparse
import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

import django
from django.core.management import call_command
from django.db import connection

from bench.runner import Bench

ROOT = Path(__file__).resolve().parent.parent


def discover() -> list[str]:
    return sorted(
        name.removeprefix("bench_")
        for _, name, _ in pkgutil.iter_modules([str(Path(__file__).parent)])
        if name.startswith("bench_")
    )


def parser_build() -> argparse.ArgumentParser:
    """The runner's arguments and every benchmark's own options (a module's `add_arguments(group)`), for --help
    and to refuse unknown options. Two benchmarks may share an option name (`--people`) with different defaults:
    each reads its own, through `module_args`."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Run benchmarks against a fresh database (SQLite under var/, or DATABASE_URL when set).",
    )
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all): {', '.join(discover())}")
    for name in discover():
        module = importlib.import_module(f"bench.bench_{name}")
        if hasattr(module, "add_arguments"):
            module.add_arguments(_SharedOptions(parser, name))
    return parser


class _SharedOptions:
    """An argument group in which an option another benchmark already declared is not declared again: its
    help gains this benchmark's meaning and default instead."""

    def __init__(self, parser: argparse.ArgumentParser, name: str):
        self.parser, self.name = parser, name
        self.group = parser.add_argument_group(f"{name} options")

    def add_argument(self, *flags, **kwargs):
        existing = next((a for a in self.parser._actions if set(flags) & set(a.option_strings)), None)
        if existing is None:
            return self.group.add_argument(*flags, **kwargs)
        existing.help = f"{existing.help}; {self.name}: {kwargs.get('help', '')}"
        return existing


def module_args(module, argv) -> argparse.Namespace:
    """`module`'s options from the command line, with the module's own defaults for those not given."""
    parser = argparse.ArgumentParser(add_help=False)
    if hasattr(module, "add_arguments"):
        module.add_arguments(parser)
    return parser.parse_known_args(argv)[0]


def database_prepare() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS_MODULE", "bench.settings")
    if not os.environ.get("DATABASE_URL"):
        db = ROOT / "var" / "bench.sqlite3"
        db.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    sys.path.insert(0, str(ROOT))
    database_prepare()  # benchmark modules import models, so Django is set up before their options are read
    django.setup()
    parser = parser_build()
    args = parser.parse_args(argv)
    names = args.names or discover()
    unknown = sorted(set(names) - set(discover()))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(discover())}")

    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor}")

    failures = 0
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n== {name}: {(module.__doc__ or '').strip().splitlines()[0] if module.__doc__ else ''}")
        if getattr(module, "TARGET", None):
            print(f"   target: {module.TARGET}")
        bench = Bench(name=name, args=module_args(module, argv))
        started = time.perf_counter()
        try:
            module.run(bench)
        except Exception as exc:  # a failing benchmark is reported, and the others still run
            failures += 1
            bench.failed(exc)
        print(f"   (ran in {time.perf_counter() - started:.1f} s)")
        print(bench.summary_line(), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
