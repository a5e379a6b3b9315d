"""Print every figure in bench/results/*.json as one table (``make bench`` ends with it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
HEADER = ("benchmark", "database", "figure", "value", "unit", "target", "result")


def rows() -> list[tuple[str, ...]]:
    table = []
    for path in sorted(RESULTS.glob("*.json")):
        document = json.loads(path.read_text())
        for figure in document.get("figures", []):
            value = figure["value"]
            table.append(
                (
                    document.get("benchmark", path.stem),
                    figure.get("database") or "",
                    figure["figure"],
                    f"{value:,.3f}" if isinstance(value, float) and value < 10 else f"{value:,.0f}",
                    figure.get("unit") or "",
                    figure.get("target") or "",
                    {True: "pass", False: "FAIL", None: ""}[figure.get("pass")],
                )
            )
    return table


def main() -> int:
    table = rows()
    if not table:
        print(f"no results in {RESULTS}; run make bench")
        return 1
    widths = [max(len(row[i]) for row in [HEADER, *table]) for i in range(len(HEADER))]
    numeric = {3}
    for number, row in enumerate([HEADER, *table]):
        cells = [
            cell.rjust(width) if index in numeric else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
