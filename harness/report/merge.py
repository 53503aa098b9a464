"""Merges the reports of a suite run in slices (`--shard K/N` on N CI machines) into one: one JUnit file
with every slice's test suite, and one `--report` folder (results, schema and page) with every slice's results.

    python -m harness.report.merge OUT SLICE_DIR...
Each SLICE_DIR holds what one slice wrote: junit.xml and/or a report folder html/. OUT gets junit.xml and html/.
"""
from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from .folder import ReportFolder

COUNTS = ("tests", "failures", "errors", "skipped")


def merge_junit(files: list[Path], out: Path) -> ET.Element:
    """One <testsuites> holding each file's <testsuite> elements, with the totals summed on it."""
    merged = ET.Element("testsuites", name="pytest tests")
    for file in files:
        root = ET.parse(file).getroot()
        merged.extend(root.iter("testsuite") if root.tag == "testsuites" else [root])
    for count in COUNTS:
        merged.set(count, str(sum(int(s.get(count, 0)) for s in merged)))
    merged.set("time", f"{sum(float(s.get('time', 0)) for s in merged):.3f}")
    out.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(merged).write(out, encoding="utf-8", xml_declaration=True)
    return merged


def merge_reports(folders: list[Path], out: Path) -> int:
    """Every slice's results, in slice order, in one report folder (renumbered; the page rendered anew)."""
    writer = ReportFolder(out)
    for folder in folders:
        for file in sorted((folder / "results").glob("*.json")):
            writer.add(re.sub(r"^\d+-", "", file.stem), file.read_text())
    writer.finish()
    return len(writer.results)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-2].strip(), file=sys.stderr)
        return 2
    out, slices = Path(argv[0]), [Path(a) for a in argv[1:]]
    missing = [s for s in slices if not s.is_dir()]
    if missing:
        print(f"merge: no such folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    junit = [s / "junit.xml" for s in slices if (s / "junit.xml").is_file()]
    if junit:
        suites = merge_junit(junit, out / "junit.xml")
        print(f"junit: {len(junit)} files, {suites.get('tests')} tests -> {out / 'junit.xml'}")
    reports = [s / "html" for s in slices if (s / "html" / "results").is_dir()]
    if reports:
        print(f"report: {len(reports)} folders, {merge_reports(reports, out / 'html')} results -> {out / 'html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
