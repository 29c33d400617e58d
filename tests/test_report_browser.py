"""The HTML report as a browser shows it, without and with `--safety`: headless Chromium at 1400 and
800 pixels wide (skipped where Chromium is not installed; `.ci/run` installs Debian's)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from curation_cli.main import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")

PROBE = """<script>window.addEventListener('load', () => {
  const inner = window.innerWidth;
  const images = [...document.querySelectorAll('img')];
  document.body.setAttribute('data-probe', JSON.stringify({
    scroll: document.documentElement.scrollWidth, inner: inner, images: images.length,
    clipped: images.filter(i => i.getBoundingClientRect().right > inner + 1).map(i => i.alt || i.src.slice(0, 30)),
    broken: images.filter(i => !i.complete || i.naturalWidth === 0).length}));
});</script>"""


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """A quickstart-like run (every stage, a people-search site dropped)."""
    tmp = tmp_path_factory.mktemp("report")
    config = yaml.safe_load((ROOT / "configs" / "quickstart.yaml").read_text())
    config["input"]["synthetic"]["docs"] = 600
    config["output"]["path"] = str(tmp / "out")
    (tmp / "config.yaml").write_text(yaml.safe_dump(config))
    assert main(["run", "--config", str(tmp / "config.yaml"), "--quiet"]) == 0
    return tmp / "out"


@pytest.fixture(scope="module", params=["plain", "safety"])
def report(request, output) -> Path:
    """The HTML report of the run, plain and with `--safety` (its Safety section's plots)."""
    path = output.parent / f"report-{request.param}.html"
    extra = ["--safety"] if request.param == "safety" else []
    assert main(["stats", str(output), *extra, "--html", str(path), "--quiet"]) == 0
    return path


def _chromium(*args: str) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.mark.parametrize("width", [1400, 800])
def test_the_report_fits_the_window_and_every_plot_shows(report, tmp_path, width):
    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text().replace("</body>", PROBE + "</body>"))
    dom = _chromium(f"--window-size={width},1000", "--dump-dom", probed.as_uri())
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the page did not finish loading"
    probe = json.loads(unescape(found[1]))
    assert probe["scroll"] <= probe["inner"], f"the page scrolls sideways at {width} px"
    assert probe["images"] >= (10 if "safety" in report.name else 5) and probe["broken"] == 0
    assert probe["clipped"] == [], f"plots wider than {width} px: {probe['clipped']}"
    screenshot = tmp_path / f"{report.stem}-{width}.png"
    _chromium(f"--window-size={width},2400", "--hide-scrollbars", f"--screenshot={screenshot}", report.as_uri())
    assert screenshot.stat().st_size > 50_000  # a rendered page, not a blank one
