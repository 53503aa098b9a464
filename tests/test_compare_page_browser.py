"""The comparison page in a real browser: Debian's chromium, headless (installed by ci/setup.sh), loads the page
written by `harness compare`; its DOM has one summary row per scenario with its verdict and one change row per
change, and a screenshot is taken. Nothing is fetched: the browser runs with networking features off."""
from __future__ import annotations

import html.parser
import shutil
import subprocess

import pytest

from harness.cli import main
from test_compare import SENDER_FEE, report, result

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


class Rows(html.parser.HTMLParser):
    """The rows of the page's DOM as chromium dumps it: (class, data-verdict) of each <tr>."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            found = dict(attrs)
            self.rows.append((found.get("class") or "", found.get("data-verdict")))


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("chromium is not installed: run `bash ci/setup.sh` as root, or `apt-get install -y chromium`")
    profile = tmp_path / "profile"  # a fresh profile: nothing from another run
    return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


def test_the_page_shows_each_scenario_and_change_in_a_browser(tmp_path, capsys):
    base = report(tmp_path / "a", result(), result("other"))
    candidate = report(tmp_path / "b", result(fee=2 * SENDER_FEE), result("other"))
    assert main(["compare", str(base), str(candidate)]) == 1
    page = candidate / "compare" / "index.html"

    dumped = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    rows = Rows()
    rows.feed(dumped.stdout)
    summary = [verdict for cls, verdict in rows.rows if cls.startswith("scenario ")]
    assert summary == ["regression", "same"]
    changes = [cls for cls, _ in rows.rows if cls.startswith("change ")]
    assert changes == ["change regression", "change regression"]  # the transaction fee and the sender's change
    assert "transaction fee of step 'there' on kusama-asset-hub" in dumped.stdout

    shot = tmp_path / "page.png"
    taken = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
