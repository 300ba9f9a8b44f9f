"""pytead's site as a browser shows it: headless Chromium renders the home page and the API page,
takes their screenshots, and measures that no code block runs past its container."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import run_tool

ROOT = Path(__file__).parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

pytestmark = [
    pytest.mark.slow,  # builds the site and starts a browser about ten times
    pytest.mark.skipif(
        BROWSER is None, reason="Chromium is not installed (apt-get install chromium)"
    ),
]

#: Pages checked, relative to the site's root.
PAGES = {"home": "index.html", "api": "reference/api/index.html"}

#: Run in the page once it has loaded: what a reader would see go wrong, as JSON in the DOM.
MEASURE = """
<script>
window.addEventListener("load", () => {
  const right = (element) => element.getBoundingClientRect().right;
  const blocks = [...document.querySelectorAll(".md-content pre > code")].map((code) => {
    // The content column, not the article: on a narrow screen the theme draws code blocks
    // edge to edge, over the article's padding.
    const container = code.closest(".pytead-showcase > div") || code.closest(".md-content");
    const language = (code.closest(".highlight") || code).className.match(/language-(\\w+)/);
    return {
      language: language ? language[1] : "",
      showcase: Boolean(code.closest(".pytead-showcase")),
      past_container: Math.round(right(code.parentElement) - right(container)),
      hidden: code.scrollWidth - code.clientWidth,
      text: code.textContent.slice(0, 60),
    };
  });
  const heading = document.querySelector("article h1");
  const report = document.createElement("pre");
  report.id = "pytead-measure";
  report.textContent = JSON.stringify({
    title: heading ? heading.textContent : "",
    heading_height: heading ? heading.getBoundingClientRect().height : 0,
    page_overflow: document.documentElement.scrollWidth - window.innerWidth,
    blocks: blocks,
  });
  document.body.append(report);
});
</script>
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pytead's site, built with ``mkdocs build --strict``."""
    folder = tmp_path_factory.mktemp("browser") / "site"
    done = run_tool(
        "mkdocs", "build", "--strict", "-d", str(folder), cwd=ROOT, NO_MKDOCS_2_WARNING="1"
    )
    assert done.returncode == 0, done.stderr
    return folder


def browse(*options: str, page: Path, width: int) -> subprocess.CompletedProcess[str]:
    """Open *page* in headless Chromium, *width* pixels wide, with *options*."""
    assert BROWSER is not None
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",  # run as root in a container
        "--disable-gpu",
        "--hide-scrollbars",
        "--virtual-time-budget=5000",  # let the theme's scripts and the page settle
        f"--window-size={width},2000",
        *options,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def measure(page: Path, width: int) -> dict[str, object]:
    """What `MEASURE` finds on a copy of *page* (beside it, so its links still work)."""
    probe = page.with_name("measured.html")
    probe.write_text(page.read_text().replace("</body>", MEASURE + "</body>", 1))
    done = browse("--dump-dom", page=probe, width=width)
    found = re.search(r'<pre id="pytead-measure">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found, f"the page did not run its measure: {done.stderr[-2000:]}"
    text = found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    result: dict[str, object] = json.loads(text)
    return result


def png_size_and_ink(path: Path) -> tuple[int, int, float]:
    """A PNG's width, height and the share of its filtered pixel bytes that are not zero.

    A blank page filters to (almost) nothing but zeros; a rendered page does not.
    """
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return width, height, 1 - pixels.count(0) / len(pixels)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_renders_in_a_screenshot(site: Path, name: str) -> None:
    shots = site.parent / "shots"
    shots.mkdir(exist_ok=True)
    shot = shots / f"{name}.png"
    done = browse(f"--screenshot={shot}", page=site / PAGES[name], width=1280)
    assert shot.is_file(), done.stderr[-2000:]
    width, height, ink = png_size_and_ink(shot)
    assert (width, height) == (1280, 2000)
    assert ink > 0.01, f"{name}: the screenshot is blank"


@pytest.mark.parametrize("width", [1280, 420])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_code_block_runs_past_its_container(site: Path, name: str, width: int) -> None:
    found = measure(site / PAGES[name], width)
    assert found["title"] and float(str(found["heading_height"])) > 0, found
    assert int(str(found["page_overflow"])) <= 0, f"{name} scrolls sideways at {width}px"
    blocks = found["blocks"]
    assert isinstance(blocks, list) and blocks, f"{name}: no code block measured"
    past = [block for block in blocks if block["past_container"] > 1]
    assert not past, past
    # Shell commands wrap and the showcase never hides a part: nothing to scroll to.
    whole = [b for b in blocks if b["showcase"] or b["language"] in ("bash", "console", "shell")]
    assert not [block for block in whole if block["hidden"] > 1], whole
    if name == "home":
        assert [b for b in whole if b["language"] == "bash"], "the install commands were not found"
