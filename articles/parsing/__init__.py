"""Pure-Python parser for OCR'd newspaper pages (no Django imports in this package).

``parse_page(text)`` runs the stages in ``parser.py``; ``decode_page(bytes)`` reads a page file.
"""

from .model import Block, BlockType, Credit, ParsedArticle, ParsedPage, ParsedPhoto
from .parser import parse_page
from .text import PageDecodeError, decode_page

__all__ = [
    "Block",
    "BlockType",
    "Credit",
    "PageDecodeError",
    "ParsedArticle",
    "ParsedPage",
    "ParsedPhoto",
    "decode_page",
    "parse_page",
]
