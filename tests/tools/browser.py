"""Open kg's HTML pages in a real, offline headless Chromium (Debian's), for tests, the
benchmark and screenshots. Needs the ``playwright`` Python package (a dev dependency); it drives
the system browser at :data:`CHROMIUM` and never downloads one.

Every request that is not for a ``file:`` or ``data:`` URL is aborted and recorded, on top of the
page's own Content-Security-Policy.

    python -m tests.tools.browser PAGE.html OUT.png [WIDTH HEIGHT [ENTITY]]   # screenshot once settled,
                                                                     # ENTITY's panel open
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KgError

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
# Set to 1 where a missing browser is a failure, not a reason to skip (.ci/run sets it after installing Chromium).
REQUIRE_ENV = "KG_REQUIRE_BROWSER"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--font-render-hinting=none"]


class BrowserMissing(KgError):
    """No Chromium, or no playwright package, on this machine."""


def chromium_path() -> str:
    """The Chromium executable, or :class:`BrowserMissing` saying how to install it."""
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    if not path:
        raise BrowserMissing(f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei, "
                             "or set KG_CHROMIUM)")
    return path


@contextmanager
def browser():
    """A headless Chromium (playwright ``Browser``) with a fresh profile; closed on exit."""
    exe = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserMissing("no 'playwright' package (pip install -e '.[dev]')") from None
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    try:
        with sync_playwright() as p:
            # A persistent context is how playwright takes an explicit --user-data-dir.
            ctx = p.chromium.launch_persistent_context(
                profile, executable_path=exe, args=FLAGS, headless=True,
                viewport={"width": 1400, "height": 900}, device_scale_factor=1)
            try:
                yield ctx
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class OfflinePage:
    """A page of ``ctx`` that may load only local files; ``blocked`` lists the URLs refused
    and ``requests`` every URL asked for."""

    def __init__(self, ctx, width: int = 1400, height: int = 900):
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = ctx.new_page()
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.route("**/*", self._route)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, html_path: str | Path, timeout_ms: int = 60_000) -> float:
        """Load the page, wait until the graph has settled; return the page's own settle time (ms
        since navigation started)."""
        self.page.goto(Path(html_path).resolve().as_uri(), wait_until="load", timeout=timeout_ms)
        self.page.wait_for_function("window.kg && window.kg.settled === true", timeout=timeout_ms)
        return float(self.page.evaluate("window.kg.settledMs"))

    def close(self) -> None:
        self.page.close()


def screenshot(html_path: str | Path, png_path: str | Path, width: int = 1400, height: int = 900,
               entity: str | None = None) -> Path:
    """Open ``html_path`` offline, wait for the layout to settle (and open ``entity``'s panel,
    found by the page's own search), and save a PNG."""
    with browser() as ctx:
        page = OfflinePage(ctx, width, height)
        page.open(html_path)
        if entity:
            if not page.page.evaluate("(q) => { const f = kg.find(q); if (f.length) { kg.focus(f[0]); } return f.length; }",
                                      entity):
                raise KgError(f"no entity {entity!r} in the page")
            page.page.wait_for_timeout(600)       # the focus animation
        page.page.wait_for_timeout(200)
        page.page.screenshot(path=str(png_path))
        if page.blocked:
            raise KgError(f"the page asked the network for {page.blocked[0]}")
    return Path(png_path)


def browser_missing() -> str | None:
    """Why no browser can start here (no Chromium, no playwright package), or None; launches nothing."""
    try:
        chromium_path()
        import playwright.sync_api  # noqa: F401 - only whether it imports
    except BrowserMissing as e:
        return str(e)
    except ImportError:
        return "no 'playwright' package (pip install -e '.[dev]')"
    return None


def browser_required() -> bool:
    """Whether a missing browser must fail the tests (``KG_REQUIRE_BROWSER=1``) rather than skip them."""
    return os.environ.get(REQUIRE_ENV, "") == "1"


def main(argv: list[str]) -> int:
    """``python -m tests.tools.browser PAGE.html OUT.png [WIDTH HEIGHT [ENTITY]]``: a screenshot, or one error line."""
    if len(argv) not in (2, 4, 5):
        print("usage: python -m tests.tools.browser PAGE.html OUT.png [WIDTH HEIGHT [ENTITY]]", file=sys.stderr)
        return 2
    size = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1400, 900)
    try:
        print(screenshot(argv[0], argv[1], *size, entity=argv[4] if len(argv) == 5 else None))
    except KgError as e:
        print(f"kg: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
