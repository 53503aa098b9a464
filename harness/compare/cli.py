"""`harness compare BASE CANDIDATE [--tolerances FILE] [--out DIR]`: exit 0 when nothing changed beyond the
tolerances, 1 on a regression, 2 on bad input (one message). Also what `harness run --compare-to BASE` calls."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..scenario.positions import ScenarioErrors
from .engine import Comparison, compare
from .page import render_comparison
from .records import CompareInputError, read_report
from .render import dumps, junit, table
from .rules import Rule, load_rules


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `compare` subcommand, registered by harness/cli.py."""
    command = sub.add_parser("compare", help="compare two --report folders: exit 1 on a regression")
    command.add_argument("base", help="the baseline's --report folder")
    command.add_argument("candidate", help="the candidate's --report folder")
    command.add_argument("--tolerances", help="YAML tolerance rules (docs/compare.md)")
    command.add_argument("--out", help="folder for compare.json, junit.xml and index.html; default: "
                                       "CANDIDATE/compare")
    command.set_defaults(handler=main_args)


def rules_from(path: str | None) -> list[Rule]:
    if path is None:
        return []
    file = Path(path)
    if not file.is_file():
        raise CompareInputError(f"{path}: no such tolerance file", "give a YAML file of rules (docs/compare.md)")
    return load_rules(file)


def write(comparison: Comparison, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "compare.json").write_text(dumps(comparison))
    (out / "junit.xml").write_text(junit(comparison))
    (out / "index.html").write_text(render_comparison(comparison))


def run_compare(base: Path, candidate: Path, tolerances: str | None, out: Path | None,
                stream=None) -> int:
    """Compare, print the table, write the files; 0 or 1. Bad input raises CompareInputError or ScenarioErrors."""
    stream = stream or sys.stdout
    rules = rules_from(tolerances)
    comparison = compare(read_report(base), read_report(candidate), rules)
    write(comparison, out or candidate / "compare")
    print(table(comparison), file=stream)
    print(f"page: {(out or candidate / 'compare') / 'index.html'}", file=stream)
    return 1 if comparison.regressions else 0


def main_args(args: argparse.Namespace) -> int:
    try:
        return run_compare(Path(args.base), Path(args.candidate), args.tolerances,
                           Path(args.out) if args.out else None)
    except CompareInputError as exc:
        print(f"harness compare: error: {exc}", file=sys.stderr)
    except ScenarioErrors as exc:
        for error in exc.errors:
            print(error.render(), file=sys.stderr)
    return 2
