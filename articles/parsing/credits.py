"""Bylines and photo credits: one small grammar for every form the paper prints.

Pure functions of one line (or two, for a credit broken over two lines), returning typed
records, ``None`` when the text is not a credit at all:

- :func:`parse_byline_line` — a byline on a line of its own: ``本报记者 钱培坚``,
  ``本报记者 田国奎 本报通讯员 冯际刚``, ``□刘冰`` / ``■王五``, ``文/X 图/Y``, and a signed
  column's author after the affiliation ``…总工会党组书记、副主席 夏同军``;
- :func:`split_dateline` — the dateline opening a paragraph and the bylines in its
  brackets: ``本报讯（记者李丹青 邹偶然）``, ``本报广州6月23日电（记者叶小钟 通讯员廖宇红
  实习生谢迅）``, ``新华社北京6月1日电（记者X）``;
- :func:`split_end_byline` — names in brackets closing a piece: ``（梁伟强）``,
  ``（刘丽萍 顾威）``, ``（记者张三 通讯员李四）``;
- :func:`parse_photo_credit` — ``本报通讯员 杨长武 摄``, ``新华社记者 X 摄``, ``本报特约记者
  X 摄``, ``本报记者 X 本报通讯员 Y 摄``, ``X 摄/中新社``, ``新华社发（X 摄）``,
  ``视觉中国供图``, ``东方IC供图``, ``X/供图``, ``本报资料图片``;
  :func:`parse_agency_line` — an agency alone under a credit (``视觉中国``);
  :func:`parse_credit_lines` — a credit over two lines; :func:`split_caption_credit` — a
  credit closing its caption's last line (``…载歌载舞。 朱华南 摄``).

A role word (记者, 通讯员, 实习生, 见习记者, 特约记者, 特约通讯员) applies to every name after
it until the next role word. Names are checked: two to four Han characters starting with a
surname (or a minority name with ``·``, or a known Tibetan/Mongolian given-name start);
after a role word a name may be up to six characters. So ordinary sentences (``…参加摄影``,
``记者日前获悉``) and headlines do not parse as credits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .model import Credit


class Role(StrEnum):
    """What a credited person is to the paper (the role word printed before the name)."""

    REPORTER = "记者"
    TRAINEE_REPORTER = "见习记者"
    SPECIAL_REPORTER = "特约记者"
    CORRESPONDENT = "通讯员"
    SPECIAL_CORRESPONDENT = "特约通讯员"
    INTERN = "实习生"
    AUTHOR = "作者"  # a signed column's author (named after the affiliation)
    NONE = ""  # no role printed


class Part(StrEnum):
    """Which part of a piece a person is credited for (``文/X 图/Y``)."""

    ALL = ""
    TEXT = "文"
    PHOTO = "图"


class BylineForm(StrEnum):
    LINE = "line"  # 本报记者 钱培坚 (a line of its own)
    DATELINE = "dateline"  # 本报讯（记者李丹青 邹偶然）
    END = "end"  # （刘丽萍 顾威） closing the piece
    MARK = "mark"  # □刘冰, ■王五
    TEXT_AND_PHOTO = "text_and_photo"  # 文/X 图/Y
    AFFILIATION = "affiliation"  # …总工会党组书记、副主席 夏同军


class CreditForm(StrEnum):
    PHOTOGRAPHER = "photographer"  # X 摄, 本报记者 X 本报通讯员 Y 摄, X 摄/中新社
    AGENCY_RELEASE = "agency_release"  # 新华社发（X 摄）
    SUPPLIED = "supplied"  # 视觉中国供图, X/供图
    FILE_PHOTO = "file_photo"  # 本报资料图片


@dataclass(frozen=True)
class Person:
    name: str
    role: Role = Role.NONE
    organisation: str = ""  # 本报, 新华社 printed before the role
    affiliation: str = ""  # a signed author's position
    part: Part = Part.ALL

    def as_credit(self) -> Credit:
        """The parser's output record for this person (byline or photo credit)."""
        return Credit(name=self.name, role=str(self.role), affiliation=self.affiliation)


@dataclass(frozen=True)
class Byline:
    form: BylineForm
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Dateline:
    """A paragraph's opening dateline, its bracketed bylines (maybe none) and the rest."""

    dateline: str  # 本报讯, 本报广州6月23日电, 新华社北京6月1日电, 本报 (OCR lost 讯)
    byline: Byline | None
    rest: str


@dataclass(frozen=True)
class PhotoCredit:
    form: CreditForm
    people: tuple[Person, ...] = ()
    agency: str = ""  # 新华社, 视觉中国, 中新社, 东方IC …


# -- names --------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈"
    "饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬"
    "边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原"
    "栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿狄计索宣"
    "晋初门云容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇"
    "公哈湛宾戎勾茅於呼居揭干尉冶斯元束檀衣展阴昝智幸奉植衡富尧闭赖洪丘萧凤荀郦寿贝钮"
)
_COMPOUND_SURNAMES = _words(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 令狐 慕容 长孙 宇文 司徒 夏侯 轩辕 端木 独孤 南宫 "
    "钟离 澹台 申屠 百里 呼延"
)
# Tibetan, Mongolian and Uyghur given names carry no surname: their usual first syllables
_NAME_STARTS = _words(
    "扎西 次仁 格桑 达瓦 多吉 洛桑 旦增 索朗 尼玛 拉巴 普布 央金 卓玛 德吉 群培 平措 边巴 强巴 "
    "顿珠 白玛 措姆 琼达 巴桑 米玛 加措 嘎玛 曲珍 次旦 仁青 土登 乌云 巴特 其其 那仁 额尔 敖其 "
    "宝音 斯琴 苏日 图门 哈斯 朝鲁 阿拉 吉日 "
    "阿依 阿不 阿卜 阿迪 阿力 阿布 艾力 艾尼 买买 麦麦 古丽 热依 热合 帕提 迪丽 努尔 吐尔 依明 "
    "玉素 木合 库尔 再努"
)
# two-character words that look like a surname + one character but are no names
_NOT_NAMES = _words(
    "全国 全省 全市 全区 全县 中国 上海 北京 国家 集团 公司 有限 试行 暂行 草案 时间 时代 明确 "
    "明年 和谐 和平 海外 海上 江南 江北 南方 南北 高新 高校 金融 文化 文明 安全 安置 方面 方案 "
    "成员 成立 成都 平台 左右 向前 常态 常务 关于 关心 应急 原则 强化 宁夏 云南 广东 广西 山东 "
    "山西 湖南 湖北 河南 河北 江苏 江西 福建 浙江 安徽 吉林 辽宁 甘肃 青海 新疆 西藏 贵州 四川 "
    "重庆 天津 海南 内蒙 黑龙"
)
_PLACE_ENDS = frozenset("区县市省镇乡村局厅部委会院所处科司社团街路")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_MINORITY = re.compile(r"^[\u4e00-\u9fff]{1,8}[·•・][\u4e00-\u9fff·•・]{1,12}$")
_POSITION_WORDS = re.compile(r"^[\u4e00-\u9fff]?[左右中前后][一二三四五六七八九]?$")


def is_name(token: str, after_role: bool = False) -> bool:
    """Whether ``token`` reads as a person's name (``after_role``: a role word precedes it)."""
    if _MINORITY.match(token):
        return True
    if not _HAN.match(token) or _POSITION_WORDS.match(token) or token in _NOT_NAMES:
        return False
    longest = 6 if after_role else 4
    if not 2 <= len(token) <= longest:
        return False
    if not after_role and token[-1] in _PLACE_ENDS:
        return False  # 高新区, 黄石市: a place or a body in brackets, not a person
    if token[:2] in _NAME_STARTS:
        return True
    if token[:2] in _COMPOUND_SURNAMES:
        return len(token) >= 3
    return token[0] in _SURNAMES and (len(token) <= 4 or after_role)


# -- people with roles --------------------------------------------------------------------------

_ROLE_WORDS = ("特约通讯员", "特约记者", "见习记者", "通讯员", "实习生", "记者")
_ORGANISATIONS = ("本报", "新华社", "中新社")
_ROLE_TOKEN = re.compile(r"(?P<org>本报|新华社|中新社)?(?P<role>" + "|".join(_ROLE_WORDS) + r")")
_SEPARATORS = re.compile(r"[ \u3000、，,]+")


# a name the OCR spaced out character by character (``本报记者 钱 培 坚``): two to four lone
# characters in a row, each after a space (or the start) and before a space (or the end)
_SPACED_NAME = re.compile(r"(?<![^ \u3000])[\u4e00-\u9fff](?:[ \u3000][\u4e00-\u9fff]){1,3}(?![^ \u3000])")


# … or right after its role word (``记者张 磊``, ``通讯员孙 梦 婷``; 见习记者 and 特约通讯员 end
# with one of these): no name is one character
_SPACED_AFTER_ROLE = re.compile(
    r"(?:(?<=记者)|(?<=通讯员)|(?<=实习生))[\u4e00-\u9fff](?:[ \u3000][\u4e00-\u9fff]){1,3}(?![^ \u3000）)])"
)


def _closed_up(m: re.Match) -> str:
    return m.group(0).replace(" ", "").replace("\u3000", "")


def close_spaced_names(text: str) -> str:
    """``记者 钱 培 坚`` → ``记者 钱培坚``, ``记者张 磊`` → ``记者张磊``: a name spaced out by
    the OCR closed up."""
    if " " not in text and "\u3000" not in text:
        return text
    return _SPACED_NAME.sub(_closed_up, _SPACED_AFTER_ROLE.sub(_closed_up, text))


def parse_people(text: str) -> tuple[Person, ...] | None:
    """``记者李丹青 邹偶然``, ``通讯员张建军 记者康劲``, ``本报记者 田国奎 本报通讯员 冯际刚``,
    ``刘丽萍 顾威``: each role word applies to the names after it until the next one.
    ``None`` when some part is neither a role word nor a name, or there is no name."""
    people: list[Person] = []
    role, org = Role.NONE, ""
    pos = 0
    text = text.strip()
    text = close_spaced_names(text)
    while pos < len(text):
        sep = _SEPARATORS.match(text, pos)
        if sep:
            pos = sep.end()
            continue
        m = _ROLE_TOKEN.match(text, pos)
        if m:
            role, org = Role(m.group("role")), m.group("org") or ""
            pos = m.end()
            continue
        end = _SEPARATORS.search(text, pos)
        token = text[pos : end.start() if end else len(text)]
        # a role word may follow a name without a space: 李四记者 does not occur, but
        # 张三通讯员李四 does when OCR drops the space
        inner = _ROLE_TOKEN.search(token, 1)
        if inner:
            token = token[: inner.start()]
        if not is_name(token, after_role=role is not Role.NONE):
            return None
        people.append(Person(token, role, org))
        pos += len(token)
    return tuple(people) or None


# -- bylines ------------------------------------------------------------------------------------

_MARK = re.compile(r"^\s*[□■◇◆○●]\s*(?P<rest>.+)$")
_TEXT_PHOTO = re.compile(r"^\s*文\s*[/／]\s*(?P<text>.+?)\s+图\s*[/／]\s*(?P<photo>.+?)\s*$")
_TEXT_ONLY = re.compile(r"^\s*文\s*[/／]\s*(?P<text>.+?)\s*$")
_AFFILIATION = re.compile(r"^(?P<affil>\S.*\S)[ \u3000]+(?P<name>\S+)$")
_POSITION_END = re.compile(
    r"(主席|书记|部长|局长|主任|会长|经理|院长|校长|董事长|处长|科长|社长|馆长|厅长|代表|委员|"
    r"干部|工程师|教授|研究员|律师|专家|秘书长|组长|队长|班长|站长|所长|总监|理事长)$"
)
SENTENCE_END = "。！？!?；;…"


def parse_byline_line(line: str) -> Byline | None:
    """A byline printed on a line of its own."""
    t = line.strip()
    if not t or len(t) > 60 or t[-1] in SENTENCE_END or t.endswith("摄"):
        return None
    m = _TEXT_PHOTO.match(t)
    if m:
        text_people = parse_people(m.group("text"))
        photo_people = parse_people(m.group("photo"))
        if text_people and photo_people:
            people = [_with_part(p, Part.TEXT) for p in text_people]
            people += [_with_part(p, Part.PHOTO) for p in photo_people]
            return Byline(BylineForm.TEXT_AND_PHOTO, tuple(people))
        return None
    m = _TEXT_ONLY.match(t)
    if m:
        people = parse_people(m.group("text"))
        return (
            Byline(BylineForm.TEXT_AND_PHOTO, tuple(_with_part(p, Part.TEXT) for p in people))
            if people
            else None
        )
    m = _MARK.match(t)
    if m:
        people = parse_people(m.group("rest"))
        return Byline(BylineForm.MARK, people) if people else None
    if _ROLE_TOKEN.match(t):
        people = parse_people(t)
        return Byline(BylineForm.LINE, people) if people else None
    m = _AFFILIATION.match(t)
    if m and _POSITION_END.search(m.group("affil")) and is_name(m.group("name")):
        person = Person(m.group("name"), Role.AUTHOR, affiliation=m.group("affil"))
        return Byline(BylineForm.AFFILIATION, (person,))
    return None


def _with_part(p: Person, part: Part) -> Person:
    return Person(p.name, p.role, p.organisation, p.affiliation, part)


# 本报讯 / 本报广州6月23日电 / 新华社北京6月1日电 / 中新社… / 本报 (OCR dropped 讯)
_DATELINE = re.compile(
    r"^\s*(?:\*\*)?(?P<dateline>(?:本报|新华社|中新社)"
    r"(?:讯|[\u4e00-\u9fff]{0,8}?\d{1,2}\s*月\s*\d{1,2}\s*日\s*电)?)(?:\*\*)?\s*"
)
_BRACKETS = re.compile(r"^[(（](?P<inner>[^()（）]{2,80})[)）]\s*")


def split_dateline(text: str) -> Dateline | None:
    """The dateline opening a paragraph and the bylines in its brackets, if any."""
    m = _DATELINE.match(text)
    if not m:
        return None
    dateline = m.group("dateline")
    rest = text[m.end() :]
    b = _BRACKETS.match(rest)
    byline = None
    if b:
        people = parse_people(b.group("inner"))
        if people:
            byline = Byline(BylineForm.DATELINE, people)
            rest = rest[b.end() :]
        elif dateline == "本报":
            return None
    elif dateline in ("本报", "新华社", "中新社") or not rest.strip():
        return None  # 本报 alone opens many sentences (本报记者日前…); a bare 本报 needs brackets
    if dateline in ("新华社", "中新社"):
        return None  # an agency's dateline names place and date: 新华社北京6月1日电
    return Dateline(dateline, byline, rest.lstrip())


_END_BYLINE = re.compile(r"[(（](?P<inner>[^()（）]{2,40})[)）]\s*$")


def split_end_byline(text: str) -> tuple[str, Byline] | None:
    """Names in brackets closing a piece: the text before them and the byline."""
    m = _END_BYLINE.search(text)
    if not m:
        return None
    people = parse_people(m.group("inner"))
    if not people:
        return None
    return text[: m.start()].rstrip(), Byline(BylineForm.END, people)


# -- photo credits ------------------------------------------------------------------------------

KNOWN_AGENCIES = (
    "视觉中国",
    "新华社",
    "中新社",
    "东方IC",
    "人民视觉",
    "人民图片",
    "图虫创意",
    "IC photo",
    "CFP",
)
_AGENCY_NAME = (
    r"(?:视觉中国|新华社|中新社|东方IC|人民视觉|人民图片|图虫创意|IC\s*photo|CFP"
    r"|[\u4e00-\u9fff]{2,8}?(?:社|网|图片))"
)
_RELEASE = re.compile(rf"^(?P<agency>{_AGENCY_NAME})发(?:\s*[(（](?P<inner>[^()（）]+?)\s*摄\s*[)）])?$")
_SUPPLIED = re.compile(r"^(?P<who>.+?)\s*[/／]?\s*供图$")
_SHOT = re.compile(r"^(?P<people>.+?)\s*摄(?:\s*[/／]\s*(?P<agency>[^/／\s][^/／]{0,11}))?$")
_FILE_PHOTO = re.compile(r"^(?:本报)?资料(?:图片|照片|图)$")


def parse_photo_credit(line: str) -> PhotoCredit | None:
    """A whole line that is a photo credit (see the module docstring for the forms)."""
    t = line.strip()
    if not t or len(t) > 40:
        return None
    if _FILE_PHOTO.match(t):
        return PhotoCredit(CreditForm.FILE_PHOTO)
    m = _RELEASE.match(t)
    if m:
        people: tuple[Person, ...] = ()
        if m.group("inner"):
            people = parse_people(m.group("inner")) or ()
            if not people:
                return None
        return PhotoCredit(CreditForm.AGENCY_RELEASE, people, m.group("agency"))
    m = _SUPPLIED.match(t)
    if m:
        who = m.group("who").strip()
        agency = _agency(who)
        if agency:
            return PhotoCredit(CreditForm.SUPPLIED, (), agency)
        people = parse_people(who)
        if people:
            return PhotoCredit(CreditForm.SUPPLIED, people)
        if len(who) <= 16 and _HAN.match(who.replace(" ", "")):
            return PhotoCredit(CreditForm.SUPPLIED, (), who)  # an organisation: 山东省总工会/供图
        return None
    m = _SHOT.match(t)
    if m:
        text = m.group("people")
        # a name glued to 摄 (毕兴世摄) only after a role word; never a sentence (…参加拍摄)
        if t[len(text)] != " " and not t[len(text)].isspace() and not _ROLE_TOKEN.search(text):
            return None
        people = parse_people(text)
        if not people:
            return None
        agency = ""
        if m.group("agency"):
            agency = _agency(m.group("agency").strip()) or ""
            if not agency:
                return None
        elif any(p.organisation in ("新华社", "中新社") for p in people):
            agency = next(p.organisation for p in people if p.organisation in ("新华社", "中新社"))
        return PhotoCredit(CreditForm.PHOTOGRAPHER, people, agency)
    return None


def _agency(text: str) -> str | None:
    t = text.strip()
    for known in KNOWN_AGENCIES:
        if t.replace(" ", "").lower() == known.replace(" ", "").lower():
            return known
    if re.fullmatch(r"[\u4e00-\u9fff]{2,8}(?:社|网|图片社|通讯社)", t):
        return t
    return None


def parse_agency_line(line: str) -> str | None:
    """An agency printed alone under a credit (``视觉中国``, ``/中新社``)."""
    t = line.strip().lstrip("/／").strip()
    return _agency(t) if t else None


def parse_credit_lines(first: str, second: str) -> PhotoCredit | None:
    """A credit broken over two lines (``本报记者 X`` + ``本报通讯员 Y 摄``, ``张远 摄/`` +
    ``中新社``, ``本报通讯员`` + ``X 摄``, ``X 摄`` + ``视觉中国``). ``None`` when the two
    lines do not make one credit."""
    alone = parse_photo_credit(first)
    agency = parse_agency_line(second)
    if alone is not None:
        if agency and not alone.agency:
            return PhotoCredit(alone.form, alone.people, agency)
        return None  # a complete credit; the next line is something else
    a, b = first.strip(), second.strip()
    if a.endswith(("/", "／")) and agency:
        joined = parse_photo_credit(a + agency)
        return joined
    for joined in (f"{a} {b}", a + b):
        credit = parse_photo_credit(joined)
        if credit is not None:
            return credit
    return None


_CAPTION_END = SENTENCE_END + "”’）)"
CAPTION_MIN = 15  # a caption without a final mark before its credit is at least this long


def split_caption_credit(line: str) -> tuple[str, PhotoCredit] | None:
    """A caption line closed by its credit: the caption and the credit. The credit follows
    the caption's final mark, or a space after a caption of CAPTION_MIN characters or more
    (OCR lost the mark); the longest credit wins (``本报记者 X 本报通讯员 Y 摄``)."""
    t = line.rstrip()
    if parse_photo_credit(t) is not None:
        return None  # the whole line is the credit
    for i in range(max(1, len(t) - 40), len(t)):
        before = t[i - 1]
        if t[i].isspace() or not (before.isspace() or before in _CAPTION_END):
            continue  # a credit starts after a space or a final mark (the cheap test first)
        caption = t[:i].rstrip()
        if not caption:
            continue
        # after the caption's final mark, or after a space that ends a long caption
        if caption[-1] not in _CAPTION_END and not (before.isspace() and len(caption) >= CAPTION_MIN):
            continue
        credit = parse_photo_credit(t[i:])
        if credit is not None:
            return caption, credit
    return None
