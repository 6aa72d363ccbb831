"""The explorer page: one self-contained HTML file around vis-network (shipped inside pyvis).

Nothing is fetched: vis-network's JS and CSS are inlined and the Content-Security-Policy allows
no network at all. Scripts run only if their sha256 is listed in the policy, so even an
injected ``onerror=`` attribute could not execute; and none can be injected, because text from
documents reaches the page only as JSON data (``<``, ``>``, ``&`` escaped) and is shown with
``textContent`` or drawn on the canvas. The page itself is ``static/explorer.html`` (a Jinja2 template) with
``static/explorer.js`` and ``static/explorer.css``.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import OutputError

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, ``<!--`` or raw line separators.

    >>> script_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group()], text)


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """The newest vis-network JS and CSS shipped inside pyvis (the CDN copies are not used)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"),
                   key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not found:
        raise OutputError(f"pyvis ships no vis-network copy under {lib}")
    js = found[-1].read_text(encoding="utf-8")
    css = found[-1].with_name("vis-network.css").read_text(encoding="utf-8")
    # Inlined code must not be able to end its own element early.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)   # devtools would look for it
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def page(*, title: str, summary: str, controls: dict, data: dict, lang: str = "en") -> str:
    """The whole page: ``static/explorer.html`` rendered with the explorer's CSS and JS and the graph's data.
    ``controls`` holds the legend and filter rows: ``classes`` (value, label, colour or "", count),
    ``relations`` (name, label, count), ``legend`` (value, label, colour, count) under ``legend_title`` (community
    colours; no legend when it is None). Every text is escaped by the template.
    """
    vis_js, vis_css = vis_assets()
    explorer_js = static_text("explorer.js")
    hashes = " ".join(_sha256(s) for s in (vis_js, explorer_js))
    return _template().render(lang=lang, hashes=hashes, title=title, summary=summary, vis_css=vis_css,
                              css=static_text("explorer.css"), data=script_json(data), vis_js=vis_js,
                              explorer_js=explorer_js, **controls)


@cache
def static_text(name: str) -> str:
    """One of the page's asset files in ``kg/explore/static/`` (shipped inside the package)."""
    return (resources.files("kg.explore") / "static" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(static_text("explorer.html"))
