"""HTML to PDF with WeasyPrint, offline: embedded DejaVu fonts and a URL fetcher that only reads local files.

WeasyPrint's types stay in this module. The fonts come from Debian's ``fonts-dejavu-core``; they are declared with
``@font-face`` so the PDF embeds them and reads the same on any computer, whatever fonts it has.
"""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from tumar.errors import TumarError

__all__ = [
    "FONT_DIR",
    "FONT_FAMILY",
    "FONT_FILES",
    "LocalFileFetcher",
    "check_fonts",
    "font_face_css",
    "to_pdf",
]

log = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILY = "DejaVu Sans"
MONO_FAMILY = "DejaVu Sans Mono"
# (family, weight, file name) — all three files are in fonts-dejavu-core.
FONT_FILES: tuple[tuple[str, str, str], ...] = (
    (FONT_FAMILY, "normal", "DejaVuSans.ttf"),
    (FONT_FAMILY, "bold", "DejaVuSans-Bold.ttf"),
    (MONO_FAMILY, "normal", "DejaVuSansMono.ttf"),
)


class LocalFileFetcher(URLFetcher):
    """Fetches ``file:`` URLs under the given directories and refuses everything else (http, data, ftp...).

    A refusal raises :class:`PermissionError`; with ``fail_on_errors`` WeasyPrint stops the rendering instead of
    leaving the resource out, so a template that reaches outside can never go unnoticed.
    """

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(fail_on_errors=True)
        self.roots = tuple(Path(os.path.realpath(r)) for r in roots)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise PermissionError(
                f"Tumar reports load nothing from outside this computer: refused {url[:200]!r}"
            )
        path = Path(os.path.realpath(unquote(parts.path)))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise PermissionError(f"Tumar reports only read their fonts and package files: refused {path}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": _content_type(path)})


def _content_type(path: Path) -> str:
    return {".ttf": "font/ttf", ".css": "text/css", ".html": "text/html"}.get(
        path.suffix, "application/octet-stream"
    )


def check_fonts(font_dir: Path = FONT_DIR) -> tuple[Path, ...]:
    """The font files, or a :class:`TumarError` that says how to install them."""
    paths = tuple(font_dir / name for _, _, name in FONT_FILES)
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise TumarError(
            f"cannot write a PDF report: font file {missing[0]} is missing. "
            "Install the DejaVu fonts (Debian/Ubuntu: sudo apt-get install fonts-dejavu-core) and try again."
        )
    return paths


def font_face_css(font_dir: Path = FONT_DIR) -> str:
    """``@font-face`` rules for the DejaVu files, and the report's text set in them."""
    rules = [
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
        f'src: url("{path.as_uri()}"); }}'
        for (family, weight, _), path in zip(FONT_FILES, check_fonts(font_dir), strict=True)
    ]
    rules.append(f'html {{ font-family: "{FONT_FAMILY}"; }} .mono {{ font-family: "{MONO_FAMILY}"; }}')
    return "\n".join(rules)


def to_pdf(html: str, *, font_dir: Path = FONT_DIR) -> bytes:
    """Render ``html`` (no external resources) to PDF bytes with the DejaVu fonts embedded."""
    fonts_css = font_face_css(font_dir)
    package = Path(str(resources.files("tumar.reports")))
    fetcher = LocalFileFetcher((font_dir, package))
    font_config = FontConfiguration()
    try:
        stylesheet = CSS(string=fonts_css, font_config=font_config, url_fetcher=fetcher)
        document = HTML(string=html, base_url=package.as_uri() + "/", url_fetcher=fetcher)
        pdf = document.write_pdf(stylesheets=[stylesheet], font_config=font_config)
    except FatalURLFetchingError as exc:
        raise TumarError(
            f"the report asked for a resource Tumar does not load: {exc.__cause__ or exc}"
        ) from exc
    log.debug("pdf rendered: %d bytes", len(pdf))
    return bytes(pdf)
