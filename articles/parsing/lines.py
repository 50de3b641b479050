"""Stage 1 — lines: split a page into lines and say what each line is on the printed page.

Every non-blank line becomes a :class:`Line` with a :class:`LineRole` and the parts the
role carries (the names of a byline, the caption before a photo credit, …).  The role is
read from the line's own text here; the later stages weigh its neighbours.
"""

from __future__ import annotations

import re
from typing import ClassVar

from . import credits as grammar
from .model import Credit
from .text import OPEN_END, ends_sentence, key, strip_markdown


class LineRole:
    """What a line is on the printed page: one shared instance per role (``LineRole.TEXT``,
    …, defined below), compared by identity, its ``value`` a lower-case name.

    A plain class rather than an ``enum.Enum``: on Python 3.11 ``EnumType`` defines
    ``__getattr__``, which puts every read of ``LineRole.X`` on a slow path (a bound wrapper
    call each time), and the stages read roles everywhere — about 8 % of a page's parse.
    """

    __slots__ = ("value",)

    TEXT: ClassVar[LineRole]
    SHORT: ClassVar[LineRole]
    DATELINE: ClassVar[LineRole]
    BYLINE: ClassVar[LineRole]
    AUTHOR: ClassVar[LineRole]
    CREDIT: ClassVar[LineRole]
    AGENCY: ClassVar[LineRole]
    COLUMN: ClassVar[LineRole]
    BANNER: ClassVar[LineRole]
    EDITOR_NOTE: ClassVar[LineRole]
    TIP: ClassVar[LineRole]
    SOURCE: ClassVar[LineRole]
    JUMP_FROM: ClassVar[LineRole]
    JUMP_TO: ClassVar[LineRole]
    AD: ClassVar[LineRole]
    REGION: ClassVar[LineRole]

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"<LineRole.{self.value.upper()}>"


LineRole.TEXT = LineRole("text")  # body text (a paragraph or a piece of one)
LineRole.SHORT = LineRole("short")  # could be a headline part, subhead or photo title (decided later)
LineRole.DATELINE = LineRole("dateline")  # a paragraph opening with a dateline: 本报讯（记者…）…
LineRole.BYLINE = LineRole("byline")  # a byline on a line of its own: 本报记者 钱培坚
LineRole.AUTHOR = LineRole("author")  # a signed column's author after the affiliation
LineRole.CREDIT = LineRole("credit")  # a photo credit, maybe closing its caption: …。 本报通讯员 杨长武 摄
LineRole.AGENCY = LineRole("agency")  # a photo agency on a line of its own: 视觉中国
LineRole.COLUMN = LineRole("column")  # 【主席之声】, 新闻特写
LineRole.BANNER = LineRole("banner")  # 信息快递, 新闻速递, 简讯: the column of the briefs under it
LineRole.EDITOR_NOTE = LineRole("editor_note")  # 【编者按】…
LineRole.TIP = LineRole("tip")  # 阅读提示: the next text line is the article's reading tip
LineRole.SOURCE = LineRole("source")  # 来源:《工人日报》
LineRole.JUMP_FROM = LineRole("jump_from")  # (上接第1版)
LineRole.JUMP_TO = LineRole("jump_to")  # (下转第2版)
LineRole.AD = LineRole("ad")  # 广告
LineRole.REGION = LineRole("region")  # a round-up's spaced-out place name: 天 津


_ANY_ROLE = re.compile("|".join(("特约通讯员", "特约记者", "见习记者", "通讯员", "实习生", "记者", "作者")))

JUMP_RE = re.compile(r"[(（]\s*(上接|下转)第?\s*(\d+)\s*版\s*[)）]")
COLUMN_RE = re.compile(r"^【([^【】]{1,20})】$")
NOTE_RE = re.compile(r"^【?编者按】?\s*[:：]?\s*")
SOURCE_RE = re.compile(r"^(?:来源|稿件来源|转自)\s*[:：]")
REGION_RE = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]){1,3}$")
TIP_KEYS = {"阅读提示", "【阅读提示】", "阅读提示:"}
# labels over a section of news photos: they head the photos, not a story (photos.py)
PHOTO_COLUMNS = frozenset({"图片新闻", "新闻图片", "图片报道"})
PLAIN_COLUMNS = {
    "新闻特写",
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
    # the paper's own columns, printed with or without 【】 (not 劳模风采 and the like, also
    # printed as photo titles)
    "主席之声",
    "工会博览",
    "履职手记",
} | PHOTO_COLUMNS
# the province-level places a regional round-up heads its sections with, also printed
# without the OCR's spaces (内蒙古, 黑龙江)
PROVINCES = frozenset(
    {
        *("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江"),
        *("安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆"),
        *("四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾"),
    }
)
BANNERS = {"信息快递", "新闻速递", "简讯", "新闻简讯", "工会简讯", "要闻简报"}
LONG = 60  # a line with more visible characters than this is body text, a credit or a dateline
HEADLINE_MAX = 50  # a longer line is never a headline, subhead or photo title


class Line:
    """One non-blank line of the page, markdown removed, original characters kept.

    ``key`` (NFKC, no spaces: for matching only) is computed on first use, as long body
    lines never need it.  The fields after ``role`` are set for the roles that carry them:
    ``credits`` (BYLINE, AUTHOR, CREDIT, DATELINE), ``caption`` and ``agency`` (CREDIT: the
    caption text the credit closes), ``label`` (COLUMN), ``page`` (JUMP_FROM, JUMP_TO),
    ``note`` (EDITOR_NOTE: without its marker), ``dateline`` and ``body`` (DATELINE: 本报讯 and
    the paragraph text after the dateline and its brackets).
    """

    __slots__ = (
        "_key",
        "agency",
        "body",
        "caption",
        "credits",
        "dateline",
        "gap",
        "heading",
        "index",
        "label",
        "note",
        "page",
        "role",
        "text",
    )

    def __init__(self, index: int, text: str, gap: int = 0, heading: int = 0) -> None:
        self.index = index  # line number in the file
        self.text = text
        self.gap = gap  # blank lines before it
        self.heading = heading  # markdown heading level (0: none)
        self.role = LineRole.TEXT
        self.credits: list[Credit] | tuple[()] = ()
        self.caption = self.agency = self.label = self.note = self.dateline = self.body = ""
        self.page = 0
        self._key: str | None = None

    @property
    def key(self) -> str:
        k = self._key
        if k is None:
            k = self._key = key(self.text)
        return k

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.role.value}, {self.text[:20]!r})"


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of a page, each with its role and the blank lines before it."""
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
        line = Line(i, clean, gap, level)
        if not _plainly_text(clean):
            classify(line)
        out.append(line)
        gap = 0
    return _attach_signatures(_join_credit_lines(out))


def _join_credit_lines(lines: list[Line]) -> list[Line]:
    """A photo credit broken over two lines (``本报通讯员`` + ``X 摄``, ``张远 摄/`` + ``中新社``,
    ``本报记者 X`` + ``本报通讯员 Y 摄``) becomes one credit line."""
    out: list[Line] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        after = lines[i + 1] if i + 1 < n else None
        if (
            after is not None
            and line.role is not LineRole.CREDIT
            and len(line.text) <= 24
            and len(after.text) <= 30
            and (after.role in (LineRole.CREDIT, LineRole.AGENCY) or line.text.endswith(("/", "／")))
        ):
            credit = grammar.parse_credit_lines(line.text, after.text)
            if credit is not None:
                joined = Line(line.index, f"{line.text} {after.text}", line.gap, line.heading)
                joined.role = LineRole.CREDIT
                joined.agency = credit.agency
                joined.credits = as_credits(credit.people)
                out.append(joined)
                i += 2
                continue
        out.append(line)
        i += 1
    return out


_SIGNATURE_MAX = 42  # （记者张三 通讯员李四）: the longest bracket of names signing a piece


def _signature(line: Line) -> grammar.Byline | None:
    """The names of a line that is nothing but a bracket of them (``（刘丽萍 顾威）``)."""
    t = line.text
    if len(t) > _SIGNATURE_MAX or t[0] not in "（(" or t[-1] not in "）)":
        return None
    split = grammar.split_end_byline(t)
    return split[1] if split is not None and not split[0] else None


def _attach_signatures(lines: list[Line]) -> list[Line]:
    """Names in brackets on a line of their own (``（刘丽萍 顾威）``, ``（记者张三 通讯员李四）``)
    sign the piece above them.  After a finished sentence they are put back at its end, the
    form the later stages read as a signature (``…全年工作。（刘丽萍 顾威）``); after a line
    that does not end they are a byline: never a headline of the story below."""
    out: list[Line] = []
    for line in lines:
        if line.role in (LineRole.SHORT, LineRole.TEXT, LineRole.BYLINE):
            byline = _signature(line)
            if byline is not None:
                before = out[-1] if out else None
                if (
                    before is not None
                    and before.role in (LineRole.TEXT, LineRole.DATELINE)
                    and ends_sentence(before.text)
                    and before.text[-1] not in "）)"
                ):
                    before.text += line.text
                    if before.role is LineRole.DATELINE:
                        before.body += line.text
                    before._key = None
                    continue
                line.role = LineRole.BYLINE
                line.credits = as_credits(byline.people)
        out.append(line)
    return out


# A line is body text without further checks when it does not open like a marker, a
# dateline (本报…, 新华社…, 中新社…) or an agency credit, does not end with a photo credit
# (…摄), and either holds a full stop (no headline, column, byline or region line does; an
# author line needs a space), ends with an opening or clause mark, or is long.
_LONG_MARKS = frozenset("【编来稿转")  # first characters of an editor's note or source line
_NOT_PLAIN_FIRST = _LONG_MARKS | frozenset("本新中(（阅")
_OPEN_LAST = frozenset("，,、：:；;“‘《（(「『")  # 阅读提示： is excluded by its first character


def _visible_length(t: str) -> int:
    return len(t) - t.count(" ") - t.count("\u3000") - t.count("\t")


def _plainly_text(clean: str) -> bool:
    """The cheap test for the commonest line, plain body text (what ``classify`` would say)."""
    c0 = clean[0]
    if c0 in _NOT_PLAIN_FIRST or c0 >= "\uf900" or _may_be_credit(clean):
        return False
    return (
        ("。" in clean and " " not in clean and "\u3000" not in clean)
        or clean[-1] in _OPEN_LAST
        or (len(clean) > LONG and _visible_length(clean) > LONG)
    )


def is_short(line: Line) -> bool:
    """Could the line be a headline, subhead or photo title (no sentence end, not too long,
    no quotation left open: ``“以前要跑好几趟，现在…`` is a cut body line)?"""
    k = line.key
    if len(k) > HEADLINE_MAX or "。" in k or k.count("“") > k.count("”"):
        return False
    if k.endswith("——") or k.endswith("--"):
        return True
    if k[-1] in OPEN_END or k[-1] in ",:;":
        return False
    return not ends_sentence(k)


def classify(line: Line) -> None:
    """Set ``line.role`` (and the parts it carries) from the line's own text."""
    t = line.text
    if len(t) > LONG and _visible_length(t) > LONG:
        _classify_long(line, t)
        return
    k = line.key
    if _marker(line, t, k) or _photo_credit(line, t, k) or _person(line, t) or _dateline(line, t):
        return
    line.role = LineRole.SHORT if is_short(line) else LineRole.TEXT


def _classify_long(line: Line, t: str) -> None:
    """``classify`` for a long line: only markers that open a line (editor's note, source)
    and what is read from the line's own text (credit, dateline) apply; never short."""
    c0 = t[0]
    if c0 in _LONG_MARKS or c0 >= "\uf900":  # (compatibility forms may normalise to one)
        head = key(t[:16])
        if head.startswith(("【编者按】", "编者按:")):
            line.role = LineRole.EDITOR_NOTE
            line.note = NOTE_RE.sub("", t, count=1).strip()
            return
        if head.startswith(("来源", "稿件来源", "转自")) and SOURCE_RE.match(head):
            line.role = LineRole.SOURCE
            return
    if _photo_credit(line, t, ""):
        return
    if c0 in "本新中" and _dateline(line, t):
        return
    line.role = LineRole.TEXT


def _marker(line: Line, t: str, k: str) -> bool:
    """Jump lines, advertising, editor's note, reading tip, columns, source, region subheads."""
    m = JUMP_RE.fullmatch(k) if "版" in k and len(k) < 12 else None
    if m:
        line.role = LineRole.JUMP_FROM if m.group(1) == "上接" else LineRole.JUMP_TO
        line.page = int(m.group(2))
    elif k == "广告":
        line.role = LineRole.AD
    elif k.startswith("【编者按】") or k.startswith("编者按:"):
        line.role = LineRole.EDITOR_NOTE
        line.note = NOTE_RE.sub("", t, count=1).strip()
    elif k in TIP_KEYS:
        line.role = LineRole.TIP
    elif k.startswith("【") and COLUMN_RE.match(k):
        line.role = LineRole.COLUMN
        raw = COLUMN_RE.match(t.replace(" ", ""))
        line.label = raw.group(1) if raw else COLUMN_RE.match(k).group(1)  # type: ignore[union-attr]
    elif k in PLAIN_COLUMNS:
        line.role = LineRole.COLUMN
        line.label = t
    elif k in BANNERS or (k[:1] == "【" and k[1:-1] in BANNERS):
        line.role = LineRole.BANNER
        line.label = k.strip("【】")
    elif k.startswith(("来源", "稿件来源", "转自")) and SOURCE_RE.match(k):
        line.role = LineRole.SOURCE
    elif (len(t) <= 9 and REGION_RE.match(t)) or k in PROVINCES:
        line.role = LineRole.REGION
    else:
        return False
    return True


def as_credits(people: tuple[grammar.Person, ...]) -> list[Credit]:
    """The parser's records of the people a byline or credit names (``credits`` grammar)."""
    return [Credit(name=p.name, role=str(p.role), affiliation=p.affiliation) for p in people]


_CREDIT_ENDS = ("摄", "供图", "图片", "照片", "资料图")


_AGENCY_ENDS = ("社", "网", "中国", "图片", "IC", "CFP", "photo", "创意", "视觉")


def _may_be_credit(t: str) -> bool:
    """Whether a line may end with a photo credit (``…摄``, ``…摄）``, ``…摄/中新社``, ``…供图``,
    ``本报资料图片``): the cheap test before the credit grammar is asked."""
    tail = t[-12:]
    if "摄" not in tail:  # the commonest case: only the endings without 摄 are left
        return t[-1] in "图片" and t.endswith(_CREDIT_ENDS)
    if t.endswith(_CREDIT_ENDS):
        return True
    return ("摄" in tail[-3:] and t[-1] in "）)") or "摄/" in tail or "摄／" in tail


_BYLINE_MARKS = frozenset("□■◇◆○●文")


def _photo_credit(line: Line, t: str, k: str) -> bool:
    """A photo credit, alone (``本报通讯员 杨长武 摄``, ``X 摄/中新社``, ``视觉中国供图``) or
    closing its caption (``…载歌载舞。 朱华南 摄``), or an agency line (``视觉中国``)."""
    if _may_be_credit(t):
        credit = grammar.parse_photo_credit(t) if len(t) <= 40 else None
        caption = ""
        if credit is None:
            split = grammar.split_caption_credit(t)
            if split is not None:
                caption, credit = split
        if credit is not None:
            line.role = LineRole.CREDIT
            line.caption = caption.strip()
            line.agency = credit.agency
            line.credits = as_credits(credit.people)
            return True
    if len(k) <= 12 and k.endswith(_AGENCY_ENDS) and grammar.parse_agency_line(t):
        line.role = LineRole.AGENCY
        return True
    return False


def _person(line: Line, t: str) -> bool:
    """A byline on a line of its own (``本报记者 钱培坚``, ``□刘冰``, ``文/X 图/Y``) or a signed
    column's author after the affiliation."""
    if len(t) > LONG:
        return False
    if not (_ANY_ROLE.search(t) or t[0] in _BYLINE_MARKS or " " in t or "\u3000" in t):
        return False
    byline = grammar.parse_byline_line(t)
    if byline is None:
        return False
    affiliated = byline.form is grammar.BylineForm.AFFILIATION
    line.role = LineRole.AUTHOR if affiliated else LineRole.BYLINE
    line.credits = as_credits(byline.people)
    return True


def _dateline(line: Line, t: str) -> bool:
    """A paragraph opening with a dateline (``本报讯（记者…）``, ``本报广州6月23日电``)."""
    if not t.startswith(("本报", "新华社", "中新社")):
        return False
    d = grammar.split_dateline(t)
    if d is None or not d.rest:
        return False
    line.role = LineRole.DATELINE
    line.dateline = d.dateline
    line.credits = as_credits(d.byline.people) if d.byline else []
    line.body = d.rest
    return True
