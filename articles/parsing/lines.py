"""Splitting a page into lines and classifying each line by what it is on the printed page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Credit
from .text import OPEN_END, ends_sentence, key, strip_markdown

ROLES = ("特约通讯员", "特约记者", "见习记者", "通讯员", "实习生", "记者", "作者")
_ROLE_RE = "|".join(ROLES)
NAME = r"[\u4e00-\u9fff·]{2,4}"
NAMES = rf"{NAME}(?:[ \u3000、，,]+{NAME})*"

JUMP_RE = re.compile(r"[(（]\s*(上接|下转)第?\s*(\d+)\s*版\s*[)）]")
COLUMN_RE = re.compile(r"^【([^【】]{1,20})】$")
NOTE_RE = re.compile(r"^【?编者按】?\s*[:：]?\s*")
SOURCE_RE = re.compile(r"^(?:来源|稿件来源|转自)\s*[:：]")
REGION_RE = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]){1,3}$")
BYLINE_LINE_RE = re.compile(
    rf"^(?:(?:本报)?(?:{_ROLE_RE})[ \u3000]*{NAMES}[ \u3000]*)+$"
)
CREDIT_RE = re.compile(
    rf"^(?P<caption>.*?[。！？!?…”）)])?\s*(?P<credit>(?:本报)?(?:特约)?(?:(?:记者|通讯员|实习生)[ \u3000]*)?"
    rf"(?P<names>{NAMES})[ \u3000]*[/／]?摄)$"
)
AGENCY_CREDIT_RE = re.compile(
    rf"^(?P<caption>.*?[。！？!?…”])?\s*(?P<agency>[\u4e00-\u9fff]{{2,6}}?)发\s*[(（]\s*"
    rf"(?:(?:记者|通讯员)[ \u3000]*)?(?P<names>{NAMES})[ \u3000]*摄\s*[)）]$"
)
AGENCY_RE = re.compile(r"^(?:视觉中国|新华社|中新社|人民图片|东方IC|图虫创意|IC\s*photo|[\u4e00-\u9fff]{2,6}(?:供图|图片社|通讯社))$")
DATELINE_RE = re.compile(
    r"^(?P<dateline>(?:本报|新华社|中新社)[\u4e00-\u9fff]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)"
    r"|本报讯|新华社讯|本报(?=\s*[(（]))"
    r"\s*(?:[(（](?P<bracket>[^()（）]{0,60})[)）])?\s*"
)
POSITIONS = (
    "主席", "副主席", "书记", "副书记", "主任", "副主任", "部长", "局长", "会长", "院长", "校长",
    "经理", "总经理", "董事长", "理事长", "秘书长", "教授", "研究员", "委员", "代表", "组长",
)
AUTHOR_RE = re.compile(rf"^(?P<affil>.{{4,40}}?(?:{'|'.join(POSITIONS)}))[ \u3000]+(?P<name>{NAME})$")
TAIL_BYLINE_RE = re.compile(rf"(?<=[。！？!?…”])\s*[(（](?P<names>{NAMES})[)）]\s*$")
TIP_KEYS = {"阅读提示", "【阅读提示】", "阅读提示:"}
PLAIN_COLUMNS = {
    "新闻特写", "图片新闻", "新闻速递", "新闻观察", "工会观察", "一线传真", "本报特稿", "基层动态",
    "特写", "短评", "时评", "评论", "言论", "快评", "工运论坛", "调查", "深度", "记者手记",
}


@dataclass
class Line:
    """One non-blank line of the page."""

    index: int
    text: str  # stripped, markdown removed, original characters
    key: str  # NFKC, no spaces: for matching only
    gap: int  # blank lines before it
    heading: int = 0  # markdown heading level
    kind: str = "text"
    data: dict = field(default_factory=dict)


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of a page, each with the number of blank lines before it."""
    out: list[Line] = []
    gap = 0
    for i, raw in enumerate(text.split("\n")):
        clean, level = strip_markdown(raw)
        if not clean:
            gap += 1
            continue
        line = Line(i, clean, key(clean), gap, level)
        classify(line)
        out.append(line)
        gap = 0
    return out


def parse_names(text: str, role: str = "") -> list[Credit]:
    """Credits from a byline fragment; a role word applies to the names after it."""
    credits: list[Credit] = []
    pos = 0
    parts = re.split(rf"((?:本报)?(?:{_ROLE_RE}))", text)
    for part in parts:
        m = re.fullmatch(rf"(?:本报)?({_ROLE_RE})", part.strip())
        if m:
            role = m.group(1)
            continue
        for name in re.split(r"[ \u3000、，,]+", part.strip()):
            if name:
                credits.append(Credit(name=name, role=role))
        pos += 1
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


def classify(line: Line) -> None:
    """Set ``line.kind`` (and ``line.data``) from the line's own text."""
    t, k = line.text, line.key
    m = JUMP_RE.fullmatch(k)
    if m:
        line.kind = "jump_from" if m.group(1) == "上接" else "jump_to"
        line.data["page"] = int(m.group(2))
        return
    if k == "广告":
        line.kind = "ad"
        return
    if k.startswith("【编者按】") or k.startswith("编者按:"):
        line.kind = "editor_note"
        line.data["text"] = NOTE_RE.sub("", t, count=1).strip()
        return
    if k in TIP_KEYS:
        line.kind = "tip"
        return
    m = COLUMN_RE.match(k)
    if m:
        line.kind = "column"
        line.data["label"] = COLUMN_RE.match(t).group(1).strip() if COLUMN_RE.match(t) else m.group(1)
        return
    if k in PLAIN_COLUMNS:
        line.kind = "column"
        line.data["label"] = t
        return
    if SOURCE_RE.match(k):
        line.kind = "source"
        return
    if REGION_RE.match(t):
        line.kind = "region"
        return
    for regex, kind in ((AGENCY_CREDIT_RE, "credit"), (CREDIT_RE, "credit")):
        m = regex.match(t)
        if m:
            line.kind = kind
            line.data["caption"] = (m.group("caption") or "").strip()
            line.data["agency"] = m.groupdict().get("agency") or ""
            prefix = m.group(0)[len(m.group("caption") or ""):]
            role = "通讯员" if "通讯员" in prefix else "记者" if "记者" in prefix else ""
            line.data["credits"] = parse_names(m.group("names"), role)
            return
    if AGENCY_RE.match(k):
        line.kind = "agency"
        return
    if BYLINE_LINE_RE.match(t):
        line.kind = "byline"
        line.data["credits"] = parse_names(t)
        return
    m = AUTHOR_RE.match(t)
    if m and not ends_sentence(t):
        line.kind = "author"
        line.data["credits"] = [
            Credit(name=m.group("name"), role="作者", affiliation=m.group("affil").strip())
        ]
        return
    m = DATELINE_RE.match(t)
    if m and len(t) > m.end():
        line.kind = "dateline"
        line.data["dateline"] = m.group("dateline")
        bracket = m.group("bracket") or ""
        line.data["credits"] = parse_names(bracket) if bracket else []
        line.data["body"] = t[m.end():]
        return
    line.kind = "short" if is_short(line) else "text"
