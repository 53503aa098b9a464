"""What every load of a scenario file must give, fuzzed or not: scenarios, or ScenarioErrors whose every
line reads `file:line:col: key.path: message` with line:col inside the file, and `harness validate`
printing exactly those lines with no traceback. Shared by the fuzz tests and bench/bench_fuzz.py.
"""
from __future__ import annotations

import io
import re
import signal
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

from harness.cli import main
from harness.scenario.parse import load_scenarios
from harness.scenario.positions import ScenarioErrors, format_path, one_line

ROOT = Path(__file__).resolve().parents[2]
NETWORK_DIRS = [ROOT / "harness" / "networks"]
LOAD_SECONDS = 10.0  # far above any honest load (milliseconds); a hang fails instead of stalling CI
_LINE = re.compile(r"^(?P<file>.+?):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<rest>.+)$")


class TookTooLong(Exception):
    """Not an OSError (TimeoutError is one), which the loader would report as an unreadable file."""


@contextmanager
def time_limit(seconds: float):
    active = [True]

    def expire(signum, frame):
        if active[0]:  # an alarm already queued when the block ends must not escape into the caller
            raise TookTooLong(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    # repeating: Python drops an exception raised while a gc callback runs (Hypothesis installs one)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        active[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load(file: Path) -> list | ScenarioErrors:
    """Scenarios or the ScenarioErrors; any other exception propagates (it would be a traceback)."""
    try:
        with time_limit(LOAD_SECONDS):
            return load_scenarios(file, NETWORK_DIRS)
    except ScenarioErrors as exc:
        return exc


def validate(file: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), time_limit(LOAD_SECONDS):
        code = main(["validate", str(file), "--network-dir", str(NETWORK_DIRS[0])])
    return code, out.getvalue(), err.getvalue()


def check_error_lines(file: Path, text: str, errors: ScenarioErrors) -> None:
    """Each error is positioned inside the file it names."""
    assert errors.errors, "ScenarioErrors with no error in it"
    lines = text.splitlines()
    for error in errors.errors:
        first = error.line()
        assert "\n" not in first, first
        match = _LINE.match(first)
        assert match, f"not file:line:col: path: message -> {first!r}"
        line, col = int(match["line"]), int(match["col"])
        assert (line, col) == (error.position.line, error.position.column)
        where = one_line(format_path(error.path))
        assert match["rest"].startswith(f"{where}: ") and match["rest"][len(where) + 2:].strip(), first
        named = Path(match["file"])
        if named != file:  # a network file the scenario named
            assert named.is_file(), f"error in a file that does not exist: {first!r}"
            continue
        assert line <= len(lines) + 1, f"line {line} is past the end of a {len(lines)}-line file: {first!r}"
        if line <= len(lines):
            assert col <= len(lines[line - 1]) + 1, f"column {col} is past the end of line {line}: {first!r}"


def check_file(file: Path) -> list | ScenarioErrors:
    """Loads `file` directly and through `harness validate`; both must agree, cleanly."""
    text = file.read_text(encoding="utf-8", errors="replace")
    outcome = load(file)
    code, out, err = validate(file)
    assert "Traceback" not in out + err
    if isinstance(outcome, ScenarioErrors):
        check_error_lines(file, text, outcome)
        assert code == 1, (code, out, err)
        assert out == "".join(e.line() + "\n" for e in outcome.errors)
    else:
        assert (code, err) == (0, ""), (code, out, err)
        assert out == f"{len(outcome)} scenario(s) in 1 file(s): valid\n"
    return outcome
