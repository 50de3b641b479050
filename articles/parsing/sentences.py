"""What a piece of text shows about the sentence it belongs to (used by several stages).

``looks_unfinished``: a short line that is a body line the OCR cut, not a headline;
``starts_mid_sentence``: a paragraph whose sentence began elsewhere.
"""

from __future__ import annotations

import re

from .text import is_cjk, key
from .words import head_is_word, tail_is_word

SUBHEAD_MAX = 30  # a subhead is at most this long
# characters that leave a clause hanging: a line ending with one is cut mid-sentence
DANGLING = frozenset("的该和与及对在把被将从向为以于是让使给由其这那各每并而或但")

# 是 … a verb's result … 的, in the last clause: …是怎样炼成的, …是干出来的, …是这样做成的
_SHI_DE = re.compile(r"是[^，,、；;：:]{0,8}(?:成|来|出)的$")

# the clause after a line's last clause mark, and the shortest a headline's clause is
_LAST_CLAUSE = re.compile(r"[，,；;]([^，,；;]*)$")
SHORT_CLAUSE = 3

# a number with its unit ending a line (4.6万人, 1600余个, 1.5万人次)
_QUANTITY_END = re.compile(r"\d(?:[万亿千百]|余|多)*[\u4e00-\u9fff]次?$")

_HANGING_ONE = ("的一", "了一", "是一", "这一", "那一", "每一")

SPACED_PARTS = re.compile(r"\S[ \u3000]+\S")


def looks_unfinished(text: str, k: str | None = None) -> bool:
    """A short line that reads like a cut body line rather than a headline (``k``: its
    matching form when already known)."""
    if k is None:
        k = key(text)
    if not k or k.endswith("——"):
        return False
    if k[-1] in DANGLING:
        # …是怎样炼成的, 幸福是奋斗出来的: the 是…的 frame closes a statement (a headline's
        # form), the 的 leaves nothing hanging
        return not _SHI_DE.search(k)
    if k.endswith(_HANGING_ONE):
        return True  # 开展的一: a numeral waiting for its measure word (一项, 一次)
    if not is_cjk(k[-1]):
        return False
    last_clause = _LAST_CLAUSE.search(k)
    if last_clause is not None and len(last_clause.group(1)) <= SHORT_CLAUSE:
        return True  # …施工现场，气温 / …，为返岗: a headline's clause is a whole phrase
    if (len(k) >= 2 and k[-2].isdigit()) or _QUANTITY_END.search(k):
        return False  # a quantity closes its phrase: 覆盖职工4.6万人, 惠及1.5万人次
    if SPACED_PARTS.search(text):  # parts set apart by spaces: a headline
        return False
    has_comma = "," in k or "，" in k or "、" in k
    return (has_comma or len(k) > SUBHEAD_MAX) and len(k) > 12 and not tail_is_word(k)


# characters that never open a sentence unless they begin a word (的确, 了解, 着手 do)
_NO_OPENING = frozenset("的了着们吗呢么吧啊")
# enumeration marks that may open a paragraph before 、 (一、 1、 (一)、)
_ENUM = re.compile(r"^[(（]?[一二三四五六七八九十百零〇\d]+[)）]?$")
_FIRST_CLAUSE = re.compile(r"^([^，,、；;：:。！？!?…“”\"]{1,4})[；;]")


def _closes_first(text: str, opener: str, closer: str) -> bool:
    """``closer`` comes before any ``opener`` in ``text``."""
    c = text.find(closer)
    if c < 0:
        return False
    o = text.find(opener, 0, c)
    return o < 0


def starts_mid_sentence(text: str) -> bool:
    """A paragraph that opens inside a sentence whose beginning is not on the page: a
    short clause cut off by a semicolon (``革新;智创未来…``) or a particle that cannot open
    a sentence (``的工作…``).  Lower punctuation is checked apart (``text.starts_lower``)."""
    m = _FIRST_CLAUSE.match(text)
    if m and not _ENUM.match(m.group(1)):
        return True
    return text[:1] in _NO_OPENING and not head_is_word(text)


def starts_inside_quote(text: str) -> bool:
    """Text that closes a quotation or bracket before it opens any (``问题。”扎西说``,
    ``区）、乡镇``): it began before its first character, as no paragraph does (a paragraph
    of a quotation still opens with “)."""
    return _closes_first(text, "“", "”") or _closes_first(text, "（", "）") or _closes_first(text, "(", ")")
