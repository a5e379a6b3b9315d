"""Printable documents (an approval notice, a loan contract with its schedule) as A4 PDFs.

A Django template is rendered in the language asked for and laid out by WeasyPrint. Fonts come
from the machine (DejaVu covers Vietnamese) and, for Hindi, from the Noto Sans Devanagari file
shipped by the ``fontpkg-noto-sans-devanagari`` package, loaded by ``@font-face`` from the local
file — never a CDN. One ``FontConfiguration`` is passed to both the stylesheet and
``write_pdf``: without it WeasyPrint silently ignores ``@font-face`` (TOOLCHAIN.md).
"""

from __future__ import annotations

from functools import cache

from django.template.loader import render_to_string
from django.utils import translation

PAGE_CSS = """
@page { size: A4; margin: 18mm 16mm 18mm 20mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
html { font-family: "DejaVu Sans", "Noto Sans Devanagari", sans-serif; font-size: 10pt; }
"""


@cache
def _devanagari_font_face() -> str:
    try:
        import fontpkg_noto_sans_devanagari as package
    except ImportError:  # pragma: no cover - the dependency is declared; Hindi falls back.
        return ""
    files = sorted((package.ROOT / "files").glob("*.ttf"))
    if not files:  # pragma: no cover
        return ""
    return f'@font-face {{ font-family: "{package.FAMILY}"; src: url("{files[0].as_uri()}"); }}\n'


def render_html(template_name: str, context: dict, language: str) -> str:
    """The document's HTML in ``language`` (what the PDF shows; tests read it too)."""
    with translation.override(language):
        return render_to_string(template_name, {**context, "LANGUAGE_CODE": language})


def render_pdf(template_name: str, context: dict, language: str) -> bytes:
    """Render ``template_name`` with ``context`` in ``language`` to an A4 PDF."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_html(template_name, context, language)
    fonts = FontConfiguration()
    stylesheet = CSS(string=_devanagari_font_face() + PAGE_CSS, font_config=fonts)
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=fonts)
