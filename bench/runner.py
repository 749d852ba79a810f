"""What a benchmark's `run(bench)` is given: its options, and a way to report figures.

Every figure is printed as a line for people, and the keyed ones also go into the benchmark's last line,
`bench NAME: key=value ...`, which scripts read. Keys carry their unit (`_ms`, `_seconds`, `_mib`, `_per_second`,
`_ratio`); values are plain numbers.
"""

import argparse


def plain(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:.1f}"
    raise TypeError(f"summary values are numbers, not {value!r}")


class Bench:
    def __init__(self, *, name: str, args: argparse.Namespace):
        self.name = name
        self.args = args
        self.figures: dict[str, object] = {}

    def report(self, label: str, value, unit: str = "", *, key: str | None = None, reference=None) -> None:
        """Print one figure. With `key`, it also goes into the summary line; with `reference` (a (label, value)
        pair measured in the same run), the line also shows the figure as a ratio of the reference, and the
        summary gets `<key without unit>_ratio` as well."""
        figure = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
        line = f"   {label:<52} {figure} {unit}".rstrip()
        if reference is not None:
            ref_label, ref_value = reference
            ratio = value / ref_value if ref_value else float("inf")
            line += f"   ({ratio:.2f}× {ref_label})"
        print(line, flush=True)
        if key:
            self.figures[key] = value
            if reference is not None:
                stem = key
                for unit_suffix in ("_ms", "_seconds", "_mib", "_per_second"):
                    stem = stem.removesuffix(unit_suffix)
                self.figures[f"{stem}_ratio"] = round(ratio, 3)

    __call__ = report

    def failed(self, exc: BaseException) -> None:
        print(f"   FAILED: {exc!r}", flush=True)
        self.figures["failed"] = 1

    def summary_line(self) -> str:
        return " ".join([f"bench {self.name}:", *(f"{key}={plain(value)}" for key, value in self.figures.items())])
