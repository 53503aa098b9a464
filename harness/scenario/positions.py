"""Source positions and the positioned error every bad input is reported with."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

KeyPath = tuple[str | int, ...]

# The line breaks PyYAML counts in its marks (reader.py, Reader.forward; YAML 1.1 section 5.4): LF, CR,
# CRLF, NEL, LS and PS. Not str.splitlines, which also breaks at VT, FF and \x1c-\x1e.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def source_lines(text: str) -> list[str]:
    """The lines of `text` as YAML numbers them, without their line breaks."""
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines[-1] == "" else lines  # a final line break ends the last line


def offset_position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of the character at `offset`, counted as PyYAML's marks count them."""
    breaks = list(_LINE_BREAK.finditer(text, 0, offset))
    before = text[breaks[-1].end() if breaks else 0:offset]
    return len(breaks) + 1, len(before) - before.count("\ufeff") + 1  # a BOM takes no column in a mark


def one_line(text: str) -> str:
    """An error is one line: line breaks and other control characters in user strings are escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def format_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<document>"


@dataclass(frozen=True)
class Position:
    line: int  # 1-based, like a compiler
    column: int  # 1-based
    end_line: int


@dataclass
class SourceDoc:
    """One YAML document: its plain data, and where each key path sits in the file."""

    file: Path
    data: object
    positions: dict[KeyPath, Position]
    lines: list[str]
    base: KeyPath = ()

    def position(self, path: KeyPath) -> Position:
        """Position of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, Position(1, 1, 1))

    def snippet(self, path: KeyPath, context: int = 1, mark: KeyPath | None = None) -> str:
        """The lines of `path` after `context` lines before it, with `>` at the line of `mark` (default: `path`)."""
        pos = self.position(path)
        marked = self.position(mark).line if mark is not None else pos.line
        start = max(1, pos.line - context)
        end = min(len(self.lines), max(pos.end_line, pos.line))
        width = len(str(end))
        return "\n".join(
            f"{'>' if n == marked else ' '} {n:>{width}} | {self.lines[n - 1]}" for n in range(start, end + 1)
        )

    def contains(self, outer: KeyPath, inner: KeyPath) -> bool:
        """Whether the line of `inner` is among the lines of `outer`."""
        a, b = self.position(outer), self.position(inner)
        return a.line <= b.line <= max(a.line, a.end_line)


@dataclass
class ScenarioError(Exception):
    """A positioned complaint about a scenario or network file."""

    file: Path
    position: Position
    path: KeyPath
    message: str
    hint: str | None = None
    snippet: str = field(default="", compare=False)

    def __str__(self) -> str:
        return self.line()

    def line(self) -> str:
        text = f"{self.file}:{self.position.line}:{self.position.column}: {format_path(self.path)}: {self.message}"
        text = f"{text} (hint: {self.hint})" if self.hint else text
        return one_line(text)

    def render(self) -> str:
        return f"{self.line()}\n{self.snippet}" if self.snippet else self.line()


def error_at(doc: SourceDoc, path: KeyPath, message: str, hint: str | None = None) -> ScenarioError:
    return ScenarioError(doc.file, doc.position(path), tuple(path), message, hint, doc.snippet(path))


class ScenarioErrors(Exception):
    """Several positioned errors from one file."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        super().__init__("\n".join(e.line() for e in errors))
        self.errors = errors
