"""Pure-Python parser for OCR'd newspaper pages (no Django imports in this package)."""

from .model import Block, Credit, ParsedArticle, ParsedPage, ParsedPhoto
from .parser import parse_page
from .text import PageDecodeError, decode_page

__all__ = [
    "Block",
    "Credit",
    "PageDecodeError",
    "ParsedArticle",
    "ParsedPage",
    "ParsedPhoto",
    "decode_page",
    "parse_page",
]
