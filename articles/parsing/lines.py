"""Splitting a page into lines and classifying each line by what it is on the printed page."""

from __future__ import annotations

import re

from .model import Credit
from .text import OPEN_END, ends_sentence, key, strip_markdown

ROLES = ("特约通讯员", "特约记者", "见习记者", "通讯员", "实习生", "记者", "作者")
_ROLE_RE = "|".join(ROLES)
_ANY_ROLE = re.compile(_ROLE_RE)
NAME = r"[\u4e00-\u9fff·]{2,4}"
NAMES = rf"{NAME}(?:[ \u3000、，,]+{NAME})*"

JUMP_RE = re.compile(r"[(（]\s*(上接|下转)第?\s*(\d+)\s*版\s*[)）]")
COLUMN_RE = re.compile(r"^【([^【】]{1,20})】$")
NOTE_RE = re.compile(r"^【?编者按】?\s*[:：]?\s*")
SOURCE_RE = re.compile(r"^(?:来源|稿件来源|转自)\s*[:：]")
REGION_RE = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]){1,3}$")
BYLINE_LINE_RE = re.compile(rf"^(?:(?:本报)?(?:{_ROLE_RE})[ \u3000]*{NAMES}[ \u3000]*)+$")
CREDIT_RE = re.compile(
    r"^(?P<caption>.*?[。！？!?…”）)])?\s*"
    rf"(?P<credit>(?:本报)?(?:特约)?(?:(?:记者|通讯员|实习生)[ \u3000]*)?"
    rf"(?P<names>{NAMES})[ \u3000]*[/／]?摄)$"
)
AGENCY_CREDIT_RE = re.compile(
    rf"^(?P<caption>.*?[。！？!?…”])?\s*(?P<agency>[\u4e00-\u9fff]{{2,6}}?)发\s*[(（]\s*"
    rf"(?:(?:记者|通讯员)[ \u3000]*)?(?P<names>{NAMES})[ \u3000]*摄\s*[)）]$"
)
AGENCY_RE = re.compile(
    r"^(?:视觉中国|新华社|中新社|人民图片|东方IC|图虫创意|IC\s*photo"
    r"|[\u4e00-\u9fff]{2,6}(?:供图|图片社|通讯社))$"
)
DATELINE_RE = re.compile(
    r"^(?P<dateline>(?:本报|新华社|中新社)[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)"
    r"|本报讯|新华社讯|本报(?=\s*[(（]))"
    r"\s*(?:[(（](?P<bracket>[^()（）]{0,60})[)）])?\s*"
)
POSITIONS = (
    "主席",
    "副主席",
    "书记",
    "副书记",
    "主任",
    "副主任",
    "部长",
    "局长",
    "会长",
    "院长",
    "校长",
    "经理",
    "总经理",
    "董事长",
    "理事长",
    "秘书长",
    "教授",
    "研究员",
    "委员",
    "代表",
    "组长",
)
AUTHOR_RE = re.compile(rf"^(?P<affil>.{{4,40}}?(?:{'|'.join(POSITIONS)}))[ \u3000]+(?P<name>{NAME})$")
TAIL_BYLINE_RE = re.compile(rf"(?<=[。！？!?…”])\s*[(（](?P<names>{NAMES})[)）]\s*$")
TIP_KEYS = {"阅读提示", "【阅读提示】", "阅读提示:"}
PLAIN_COLUMNS = {
    "新闻特写",
    "图片新闻",
    "新闻速递",
    "新闻观察",
    "工会观察",
    "一线传真",
    "本报特稿",
    "基层动态",
    "特写",
    "短评",
    "时评",
    "评论",
    "言论",
    "快评",
    "工运论坛",
    "调查",
    "深度",
    "记者手记",
}


class Line:
    """One non-blank line of the page.

    ``text`` is stripped, markdown removed, original characters; ``key`` (NFKC, no spaces,
    for matching only) is computed on first use: long body lines never need it.
    """

    __slots__ = ("_key", "data", "gap", "heading", "index", "kind", "text")

    def __init__(
        self,
        index: int,
        text: str,
        key_: str | None = None,
        gap: int = 0,
        heading: int = 0,
        kind: str = "text",
        data: dict | None = None,
    ) -> None:
        self.index = index
        self.text = text
        self._key = key_
        self.gap = gap  # blank lines before it
        self.heading = heading  # markdown heading level
        self.kind = kind
        self.data = {} if data is None else data

    @property
    def key(self) -> str:
        k = self._key
        if k is None:
            k = self._key = key(self.text)
        return k

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.kind}, {self.text[:20]!r})"


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of a page, each with the number of blank lines before it."""
    out: list[Line] = []
    gap = 0
    for i, raw in enumerate(text.split("\n")):
        clean = raw.strip() if raw else raw
        if not clean:
            gap += 1
            continue
        level = 0
        if clean[0] == "#" or "**" in clean or "__" in clean:
            clean, level = strip_markdown(clean)
            if not clean:
                gap += 1
                continue
        line = Line(i, clean, None, gap, level)
        c0 = clean[0]
        if (
            c0 not in _PLAIN_NOT_FIRST
            and c0 < "\uf900"
            and "摄" not in clean[-4:]
            and (
                ("。" in clean and " " not in clean and "\u3000" not in clean)
                or clean[-1] in _OPEN_LAST
                or (
                    len(clean) > LONG
                    and len(clean) - clean.count(" ") - clean.count("\u3000") - clean.count("\t") > LONG
                )
            )
        ):
            pass  # plain body text (what ``classify`` would say): the commonest line, kept cheap
        else:
            classify(line)
        out.append(line)
        gap = 0
    return out


_ROLE_SPLIT = re.compile(rf"((?:本报)?(?:{_ROLE_RE}))")
_ROLE_ONLY = re.compile(rf"(?:本报)?({_ROLE_RE})")
_NAME_SEP = re.compile(r"[ \u3000、，,]+")


def parse_names(text: str, role: str = "") -> list[Credit]:
    """Credits from a byline fragment; a role word applies to the names after it."""
    credits: list[Credit] = []
    for part in _ROLE_SPLIT.split(text):
        part = part.strip()
        m = _ROLE_ONLY.fullmatch(part)
        if m:
            role = m.group(1)
            continue
        for name in _NAME_SEP.split(part):
            if name:
                credits.append(Credit(name=name, role=role))
    return credits


def is_short(line: Line) -> bool:
    """Could the line be a headline, subhead or photo title (no sentence end, not too long)?"""
    k = line.key
    if len(k) > 50 or "。" in k:
        return False
    if k.endswith("——") or k.endswith("--"):
        return True
    if k[-1] in OPEN_END or k[-1] in ",:;":
        return False
    return not ends_sentence(k)


LONG = 60  # a line with more visible characters than this is body text, a credit or a dateline


def classify(line: Line) -> None:
    """Set ``line.kind`` (and ``line.data``) from the line's own text."""
    t = line.text
    if len(t) > LONG and len(t) - t.count(" ") - t.count("\u3000") - t.count("\t") > LONG:
        _long_kind(line, t)
        return
    k = line.key
    for check in (_marker_kind, _credit_kind, _person_kind, _dateline_kind):
        if check(line, t, k):
            return
    line.kind = "short" if is_short(line) else "text"


_LONG_MARKS = frozenset("【编来稿转")  # first characters of an editor's note or source line
# A line is plain body text without further checks when it does not open like a marker,
# a dateline (本报…, 新华社…, 中新社…) or an agency credit, does not end with a photo credit
# (…摄), and either holds a full stop (no headline, column, byline or region line does; an
# author line needs a space), ends with an opening or clause mark, or is long.
_PLAIN_NOT_FIRST = _LONG_MARKS | frozenset("本新中(（阅")
# … or ends like a cut body line (what ``is_short`` calls text); 阅读提示： is excluded above
_OPEN_LAST = frozenset("，,、：:；;“‘《（(「『")


def _long_kind(line: Line, t: str) -> None:
    """``classify`` for a long line: only markers that open a line (editor's note, source)
    and what is read from the line's own text (credit, dateline) apply; never short."""
    c0 = t[0]
    if c0 in _LONG_MARKS or c0 >= "\uf900":  # (compatibility forms may normalise to one)
        head = key(t[:16])
        if head.startswith(("【编者按】", "编者按:")):
            line.kind = "editor_note"
            line.data["text"] = NOTE_RE.sub("", t, count=1).strip()
            return
        if head.startswith(("来源", "稿件来源", "转自")) and SOURCE_RE.match(head):
            line.kind = "source"
            return
    if "摄" in t[-4:] and _credit_kind(line, t, ""):
        return
    if c0 in "本新中" and _dateline_kind(line, t, ""):
        return
    line.kind = "text"


def _marker_kind(line: Line, t: str, k: str) -> bool:
    """Jump lines, advertising, editor's note, reading tip, columns, source, region subheads."""
    m = JUMP_RE.fullmatch(k) if "版" in k and len(k) < 12 else None
    if m:
        line.kind = "jump_from" if m.group(1) == "上接" else "jump_to"
        line.data["page"] = int(m.group(2))
    elif k == "广告":
        line.kind = "ad"
    elif k.startswith("【编者按】") or k.startswith("编者按:"):
        line.kind = "editor_note"
        line.data["text"] = NOTE_RE.sub("", t, count=1).strip()
    elif k in TIP_KEYS:
        line.kind = "tip"
    elif k.startswith("【") and COLUMN_RE.match(k):
        line.kind = "column"
        raw = COLUMN_RE.match(t.replace(" ", ""))
        line.data["label"] = raw.group(1) if raw else COLUMN_RE.match(k).group(1)  # type: ignore[union-attr]
    elif k in PLAIN_COLUMNS:
        line.kind = "column"
        line.data["label"] = t
    elif k.startswith(("来源", "稿件来源", "转自")) and SOURCE_RE.match(k):
        line.kind = "source"
    elif len(t) <= 9 and REGION_RE.match(t):
        line.kind = "region"
    else:
        return False
    return True


def _credit_kind(line: Line, t: str, k: str) -> bool:
    """Photo credits (``本报通讯员 杨长武 摄``, ``新华社发（胡馨学 摄）``) and agency lines."""
    if "摄" in t[-4:]:
        for regex in (AGENCY_CREDIT_RE, CREDIT_RE):
            m = regex.match(t)
            if m:
                line.kind = "credit"
                line.data["caption"] = (m.group("caption") or "").strip()
                line.data["agency"] = m.groupdict().get("agency") or ""
                prefix = m.group(0)[len(m.group("caption") or "") :]
                role = "通讯员" if "通讯员" in prefix else "记者" if "记者" in prefix else ""
                line.data["credits"] = parse_names(m.group("names"), role)
                return True
    if len(k) <= 12 and AGENCY_RE.match(k):
        line.kind = "agency"
        return True
    return False


def _person_kind(line: Line, t: str, k: str) -> bool:
    """A byline line (``本报记者 钱培坚``) or a signed column's author with position."""
    if len(t) > 60:
        return False
    if _ANY_ROLE.search(t) and BYLINE_LINE_RE.match(t):
        line.kind = "byline"
        line.data["credits"] = parse_names(t)
        return True
    m = AUTHOR_RE.match(t) if (" " in t or "\u3000" in t) else None
    if m and not ends_sentence(t):
        line.kind = "author"
        affiliation = m.group("affil").strip()
        line.data["credits"] = [Credit(name=m.group("name"), role="作者", affiliation=affiliation)]
        return True
    return False


def _dateline_kind(line: Line, t: str, k: str) -> bool:
    """A paragraph opening with a dateline (``本报讯（记者…）``, ``本报广州6月23日电``)."""
    if not t.startswith(("本报", "新华社", "中新社")):
        return False
    m = DATELINE_RE.match(t)
    if not m or len(t) <= m.end():
        return False
    line.kind = "dateline"
    line.data["dateline"] = m.group("dateline")
    bracket = m.group("bracket") or ""
    line.data["credits"] = parse_names(bracket) if bracket else []
    line.data["body"] = t[m.end() :]
    return True
