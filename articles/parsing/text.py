"""Decoding page files and normalising OCR text (no Django here)."""

from __future__ import annotations

import re
import unicodedata


class PageDecodeError(ValueError):
    """Raised when a page file cannot be read as text."""


_BOMS = (b"\xef\xbb\xbf",)
# Unicode category Cc (C0 and C1 controls) except newline and tab, as Latin-1 bytes
_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def count_controls(text: str) -> int:
    """How many control characters (C0 and C1, except newline and tab) ``text`` holds.

    All of them are Latin-1 characters: the text's Latin-1 characters (a few hundred on a
    Chinese page) are taken with one ``encode``, and the controls among them deleted with one
    ``bytes.translate`` — far cheaper than a regex over every character.
    """
    latin = text.encode("latin-1", "ignore")
    return len(latin) - len(latin.translate(None, _CONTROLS))


_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


def utf16_codec(data: bytes) -> str | None:
    """``utf-16`` (with a byte-order mark), ``utf-16-le``/``-be`` (without), or None.

    Without a mark, UTF-16 shows as NUL bytes mostly on odd (little-endian) or mostly on
    even (big-endian) offsets: the high bytes of newlines, spaces and digits (a few CJK
    characters such as 一 U+4E00 put one on the other side).
    """
    if data[:2] in _UTF16_BOMS:
        return "utf-16"
    if len(data) % 2:
        return None
    head = data[:4096]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd >= 4 and odd > 3 * even:
        return "utf-16-le"
    if even >= 4 and even > 3 * odd:
        return "utf-16-be"
    return None


def decode_page(data: bytes) -> str:
    """Decode a page file to text with ``\\n`` line endings and no BOM.

    Accepts UTF-8 (with or without BOM), GB18030/GBK and UTF-16 (with a byte-order mark,
    or recognised by its NUL bytes).  Raises :class:`PageDecodeError` for empty, binary
    or undecodable input.
    """
    if not data or not data.strip():
        raise PageDecodeError("empty page file")
    codec = utf16_codec(data)
    if codec == "utf-16":  # a byte-order mark says so: it must decode
        try:
            data = data.decode(codec).encode("utf-8")
        except UnicodeError as exc:
            raise PageDecodeError(f"undecodable UTF-16 text (byte {exc.start}), not a text page") from exc
    elif codec is not None:  # NUL bytes that look like UTF-16: text if they decode to lines
        try:
            decoded = data.decode(codec)
        except UnicodeError:
            decoded = ""
        if "\n" in decoded and "\x00" not in decoded:
            data = decoded.encode("utf-8")
    if b"\x00" in data:
        raise PageDecodeError("binary data (NUL bytes), not a text page")
    for bom in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
    text = None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise PageDecodeError("undecodable text: neither UTF-8 nor GB18030")
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = count_controls(text)
    if controls > max(3, len(text) // 20):
        raise PageDecodeError("binary data (control characters), not a text page")
    if not text.strip():
        raise PageDecodeError("empty page file")
    return text


_MD_HEADING = re.compile(r"^(#{1,6})\s*")


def strip_markdown(line: str) -> tuple[str, int]:
    """Remove markdown heading marks and ``**`` from a line; return (text, heading level)."""
    line = line.strip()
    level = 0
    if line[:1] == "#":
        m = _MD_HEADING.match(line)
        if m:
            level = len(m.group(1))
            line = line[m.end() :]
    if "**" in line or "__" in line:
        line = line.replace("**", "").replace("__", "")
        return line.strip(), level
    return (line.strip() if level else line), level


_normalize = unicodedata.normalize


def key(text: str) -> str:
    """Matching form of a string: NFKC, no whitespace (a copy; never stored as a value)."""
    return "".join(_normalize("NFKC", text).split())


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


_SPACE_RUN = re.compile(r"[ \t\u3000]+(?=[\u3400-\u9fff])")


def _drop_after_cjk(m: re.Match) -> str:
    at = m.start()
    return "" if at and "\u3400" <= m.string[at - 1] <= "\u9fff" else m.group()


def close_cjk_spaces(text: str) -> str:
    """Remove stray spaces between two CJK characters (``建设得更 有活力``)."""
    if " " not in text and "\u3000" not in text and "\t" not in text:
        return text
    return _SPACE_RUN.sub(_drop_after_cjk, text)


FINAL = frozenset("。！？!?….")
CLOSERS = frozenset("”’」』）)》")
OPEN_END = frozenset("，,、：:；;“‘《（(「『—-")
LOWER_START = frozenset("，,、。．：:；;！!？?）)》”’…")


_SIGNATURE_MAX = 40  # the longest bracket of names closing a piece: （记者张三 通讯员李四）


def ends_sentence(text: str) -> bool:
    """True when text ends with sentence-final punctuation (optionally closed by a quote),
    or with a bracket of names after it that signs the piece (``…14项。（沈佳）``), or is one
    note wholly in brackets (``（作者系…）``)."""
    t = text[-8:].rstrip()
    if not t:
        return False
    last = t[-1]
    if last in FINAL:
        return True
    # one closing quote or bracket after the final mark: ``…。”``  (``"" in FINAL`` is False)
    if last in CLOSERS and t[-2:-1] in FINAL:
        return True
    return (last == "）" or last == ")") and (signed(text.rstrip()) or _bracketed(text.strip()))


def _bracketed(text: str) -> bool:
    """``text`` is one note wholly in brackets (``（作者系全国人大代表）``): a piece of its own."""
    if text[:1] not in "（(" or len(text) < 4:
        return False
    return not any(c in "）)（(" for c in text[1:-1])


def signed(text: str) -> bool:
    """``text`` (ending with a closing bracket) ends with a bracket after a finished sentence."""
    tail = text[-_SIGNATURE_MAX - 2 : -1]
    at = max(tail.rfind("（"), tail.rfind("("))
    if at < 1 or "）" in tail[at:] or ")" in tail[at:]:
        return False
    before = tail[at - 1]
    return before in FINAL or (before in CLOSERS and tail[at - 2 : at - 1] in FINAL)


def starts_lower(text: str) -> bool:
    """True when text opens with punctuation that can only continue a sentence."""
    return text[:1] in LOWER_START
