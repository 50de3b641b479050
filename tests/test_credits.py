"""The byline and photo-credit grammar (articles.parsing.credits): one hand-written snippet per
form the paper prints (shared/parsing/GUIDE.md), and what must not read as a credit."""

from __future__ import annotations

import pytest

from articles.parsing.credits import (
    BylineForm,
    CreditForm,
    Part,
    Role,
    is_name,
    parse_agency_line,
    parse_byline_line,
    parse_credit_lines,
    parse_people,
    parse_photo_credit,
    split_caption_credit,
    split_dateline,
    split_end_byline,
)
from articles.parsing.model import Credit


def people(found) -> list[tuple[str, str]]:
    return [(str(p.role), p.name) for p in found.people]


# -- bylines on a line of their own -----------------------------------------------------------


def test_reporter_line():
    b = parse_byline_line("本报记者 钱培坚")
    assert b.form is BylineForm.LINE
    assert people(b) == [("记者", "钱培坚")]
    assert b.people[0].organisation == "本报"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("本报记者 钱 培 坚", [("记者", "钱培坚")]),
        ("本报记者 钱 培 坚 本报通讯员 冯 刚", [("记者", "钱培坚"), ("通讯员", "冯刚")]),
        ("本报记者 田国奎 本报通讯员 冯际刚", [("记者", "田国奎"), ("通讯员", "冯际刚")]),
    ],
)
def test_a_name_the_ocr_spaced_out_is_one_name(line, expected):
    assert people(parse_byline_line(line)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("本报讯（记者张 磊）天津市总工会近日启动送温暖活动。", [("记者", "张磊")]),
        ("本报讯（通讯员孙 梦 婷 记者李明）某市总工会举办培训。", [("通讯员", "孙梦婷"), ("记者", "李明")]),
        ("本报讯（记者张三 李 四）某市总工会举办培训。", [("记者", "张三"), ("记者", "李四")]),
    ],
)
def test_a_name_spaced_out_right_after_its_role_word_is_one_name(line, expected):
    # the OCR kept the role word and the first character together (记者张 磊): the dateline
    # still reads, and its names are names
    dateline = split_dateline(line)
    assert dateline is not None and dateline.byline is not None
    assert people(dateline.byline) == expected


def test_reporter_and_correspondent_line():
    b = parse_byline_line("本报记者 田国奎 本报通讯员 冯际刚")
    assert people(b) == [("记者", "田国奎"), ("通讯员", "冯际刚")]


@pytest.mark.parametrize("role", ["记者", "通讯员", "实习生", "见习记者", "特约记者", "特约通讯员"])
def test_every_role_word(role):
    b = parse_byline_line(f"本报{role} 林一鸣")
    assert people(b) == [(role, "林一鸣")]


def test_a_role_applies_to_every_name_until_the_next_role():
    assert [(str(p.role), p.name) for p in parse_people("记者张海波 王晓东 通讯员刘畅 赵民")] == [
        ("记者", "张海波"),
        ("记者", "王晓东"),
        ("通讯员", "刘畅"),
        ("通讯员", "赵民"),
    ]


def test_names_glued_to_the_next_role_word():
    assert [(str(p.role), p.name) for p in parse_people("通讯员张建军记者康劲")] == [
        ("通讯员", "张建军"),
        ("记者", "康劲"),
    ]


def test_author_marks():
    assert people(parse_byline_line("□刘冰")) == [("", "刘冰")]
    b = parse_byline_line("■王五")
    assert b.form is BylineForm.MARK and people(b) == [("", "王五")]


def test_text_and_photo_credit():
    b = parse_byline_line("文/张扬 图/李雪峰")
    assert b.form is BylineForm.TEXT_AND_PHOTO
    assert [(p.name, p.part) for p in b.people] == [("张扬", Part.TEXT), ("李雪峰", Part.PHOTO)]
    b = parse_byline_line("文/本报记者 张扬 图/本报通讯员 李雪峰")
    assert people(b) == [("记者", "张扬"), ("通讯员", "李雪峰")]


def test_people_become_the_parsers_credit_records():
    (p,) = parse_byline_line("本报见习记者 唐诗雨").people
    assert p.as_credit() == Credit(name="唐诗雨", role="见习记者", affiliation="")


def test_author_after_affiliation():
    b = parse_byline_line("无锡高新区(新吴区)总工会党组书记、副主席 夏同军")
    assert b.form is BylineForm.AFFILIATION
    (author,) = b.people
    assert (author.name, author.role, author.affiliation) == (
        "夏同军",
        Role.AUTHOR,
        "无锡高新区(新吴区)总工会党组书记、副主席",
    )


def test_minority_names():
    assert people(parse_byline_line("本报特约记者 艾力·买买提")) == [("特约记者", "艾力·买买提")]
    assert people(parse_byline_line("本报记者 乌云其其格")) == [("记者", "乌云其其格")]


# -- datelines --------------------------------------------------------------------------------


def test_dateline_with_two_reporters():
    d = split_dateline("本报讯（记者李丹青 邹偶然）近日，柯桥区总工会召开交流会。")
    assert d.dateline == "本报讯"
    assert people(d.byline) == [("记者", "李丹青"), ("记者", "邹偶然")]
    assert d.rest == "近日，柯桥区总工会召开交流会。"


def test_dateline_with_three_roles_and_a_place():
    d = split_dateline("本报广州6月23日电（记者叶小钟 通讯员廖宇红 实习生谢迅）记者今天从英德市了解到")
    assert d.dateline == "本报广州6月23日电"
    assert people(d.byline) == [("记者", "叶小钟"), ("通讯员", "廖宇红"), ("实习生", "谢迅")]


def test_agency_dateline_and_markdown_and_half_width():
    d = split_dateline("新华社长沙8月12日电(记者彭佳宁)湖南省株洲市货车司机工会联合会成立")
    assert (d.dateline, people(d.byline)) == ("新华社长沙8月12日电", [("记者", "彭佳宁")])
    d = split_dateline("**本报讯** (通讯员谢红江 记者毛浓曦)记者近日获悉")
    assert (d.dateline, people(d.byline), d.rest) == (
        "本报讯",
        [("通讯员", "谢红江"), ("记者", "毛浓曦")],
        "记者近日获悉",
    )


def test_dateline_without_bylines_and_with_a_lost_character():
    d = split_dateline("本报讯 春节假期过后，四平市总工会设立服务点。")
    assert (d.dateline, d.byline, d.rest) == ("本报讯", None, "春节假期过后，四平市总工会设立服务点。")
    d = split_dateline("本报(记者王伟 通讯员唐璐)记者日前获悉")
    assert (d.dateline, people(d.byline)) == ("本报", [("记者", "王伟"), ("通讯员", "唐璐")])


def test_not_a_dateline():
    assert split_dateline("本报记者日前从市总工会获悉，该市出台意见。") is None
    assert split_dateline("据本报记者了解，该市出台意见。") is None
    assert split_dateline("新华社发（胡馨学 摄）") is None
    assert split_dateline("新华社记者日前获悉") is None


# -- end-of-piece bylines ---------------------------------------------------------------------


def test_end_byline_forms():
    rest, b = split_end_byline("吸引2000余名职工参与。（梁伟强）")
    assert rest == "吸引2000余名职工参与。" and b.form is BylineForm.END
    assert people(b) == [("", "梁伟强")]
    assert people(split_end_byline("评选活动今天启动。（刘丽萍 顾威）")[1]) == [("", "刘丽萍"), ("", "顾威")]
    assert people(split_end_byline("达成就业意向。(记者张三 通讯员李四)")[1]) == [
        ("记者", "张三"),
        ("通讯员", "李四"),
    ]
    assert people(split_end_byline("比赛落幕。（次仁）")[1]) == [("", "次仁")]
    assert people(split_end_byline("开展展演。（记者蔡文杰 通讯员罗佳 丁晓梅）")[1]) == [
        ("记者", "蔡文杰"),
        ("通讯员", "罗佳"),
        ("通讯员", "丁晓梅"),
    ]
    assert people(split_end_byline("现场受理咨询。（胡晓光 钱立群 宋佳怡）")[1]) == [
        ("", "胡晓光"),
        ("", "钱立群"),
        ("", "宋佳怡"),
    ]


def test_uyghur_given_names_without_a_dot_are_names():
    d = split_dateline("新华社乌鲁木齐9月12日电（记者阿依古丽 马跃然）首批工匠学院挂牌。")
    assert d is not None and d.dateline == "新华社乌鲁木齐9月12日电"
    assert people(d.byline) == [("记者", "阿依古丽"), ("记者", "马跃然")]


@pytest.mark.parametrize(
    "text",
    [
        "工会干部（左二）",
        "出台《实施办法》（试行）",
        "全国31个省（区、市）",
        "这项工作还将继续（下转第2版）",
        "落户园区（高新区）",
        "参加比赛（中）",
        "它的总部设在（上海）",
    ],
)
def test_brackets_that_are_no_byline(text):
    assert split_end_byline(text) is None


# -- photo credits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, form, names, agency",
    [
        ("本报通讯员 杨长武 摄", CreditForm.PHOTOGRAPHER, [("通讯员", "杨长武")], ""),
        ("毕兴世 摄", CreditForm.PHOTOGRAPHER, [("", "毕兴世")], ""),
        ("新华社记者 肖艺九 摄", CreditForm.PHOTOGRAPHER, [("记者", "肖艺九")], "新华社"),
        ("本报特约记者 格桑顿珠 摄", CreditForm.PHOTOGRAPHER, [("特约记者", "格桑顿珠")], ""),
        (
            "本报记者 杨明远 本报通讯员 孙晓东 摄",
            CreditForm.PHOTOGRAPHER,
            [("记者", "杨明远"), ("通讯员", "孙晓东")],
            "",
        ),
        (
            "本报通讯员 张锋 孟宪勋 摄",
            CreditForm.PHOTOGRAPHER,
            [("通讯员", "张锋"), ("通讯员", "孟宪勋")],
            "",
        ),
        ("张远 摄/中新社", CreditForm.PHOTOGRAPHER, [("", "张远")], "中新社"),
        ("龙巍 摄/视觉中国", CreditForm.PHOTOGRAPHER, [("", "龙巍")], "视觉中国"),
        ("新华社发（胡馨学 摄）", CreditForm.AGENCY_RELEASE, [("", "胡馨学")], "新华社"),
        ("新华社发(汤德宏 摄)", CreditForm.AGENCY_RELEASE, [("", "汤德宏")], "新华社"),
        ("新华社发", CreditForm.AGENCY_RELEASE, [], "新华社"),
        ("视觉中国供图", CreditForm.SUPPLIED, [], "视觉中国"),
        ("东方IC供图", CreditForm.SUPPLIED, [], "东方IC"),
        ("刘海燕/供图", CreditForm.SUPPLIED, [("", "刘海燕")], ""),
        ("本报资料图片", CreditForm.FILE_PHOTO, [], ""),
        ("本报通讯员杨长武摄", CreditForm.PHOTOGRAPHER, [("通讯员", "杨长武")], ""),
    ],
)
def test_photo_credit_forms(line, form, names, agency):
    c = parse_photo_credit(line)
    assert c is not None, line
    assert (c.form, people(c), c.agency) == (form, names, agency)


def test_agency_on_the_next_line():
    assert parse_agency_line("视觉中国") == "视觉中国"
    assert parse_agency_line("/中新社") == "中新社"
    assert parse_agency_line("工会进企宣讲扶贫政策") is None
    c = parse_credit_lines("陈立新 摄", "视觉中国")
    assert (people(c), c.agency) == ([("", "陈立新")], "视觉中国")


@pytest.mark.parametrize(
    "first, second, names, agency",
    [
        ("本报记者 杨明远", "本报通讯员 孙晓东 摄", [("记者", "杨明远"), ("通讯员", "孙晓东")], ""),
        ("本报通讯员", "何建国 摄", [("通讯员", "何建国")], ""),
        ("本报特约记者", "格桑顿珠 摄", [("特约记者", "格桑顿珠")], ""),
        ("张远 摄/", "中新社", [("", "张远")], "中新社"),
        ("新华社发（汤德宏", "摄）", [("", "汤德宏")], "新华社"),
    ],
)
def test_credit_over_two_lines(first, second, names, agency):
    c = parse_credit_lines(first, second)
    assert c is not None and (people(c), c.agency) == (names, agency)


def test_two_lines_that_are_not_one_credit():
    assert parse_credit_lines("本报通讯员 杨长武 摄", "为劳动者留影") is None
    assert parse_credit_lines("本报记者 钱培坚", "“我没想到，企业刚入驻。”") is None


def test_credit_closing_a_caption_line():
    caption, c = split_caption_credit("日前，职工群众载歌载舞，热烈庆祝建党105周年。 朱华南 摄")
    assert caption == "日前，职工群众载歌载舞，热烈庆祝建党105周年。"
    assert people(c) == [("", "朱华南")]
    caption, c = split_caption_credit(
        "焊工技能大赛举行，120名选手同台比拼。本报记者 杨明远 本报通讯员 孙晓东 摄"
    )
    assert caption.endswith("同台比拼。")
    assert people(c) == [("记者", "杨明远"), ("通讯员", "孙晓东")]
    assert split_caption_credit("该公司组织职工开展带电检修作业。") is None
    assert split_caption_credit("本报通讯员 杨长武 摄") is None  # a credit line, no caption
    assert split_caption_credit("载歌载舞 朱华南 摄") is None  # too short for a caption without its mark
    caption, c = split_caption_credit("日前连云区文化馆举办文艺展演活动职工群众载歌载舞 朱华南 摄")
    assert caption == "日前连云区文化馆举办文艺展演活动职工群众载歌载舞" and people(c) == [("", "朱华南")]


# -- what is not a credit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "仪化摄影协会组织10名会员参加摄影",
        "他从事新闻摄影",
        "组织会员到现场拍摄",
        "职工摄影展开幕",
        "由王师傅拍摄",
        "“中国工人杯”全国职工读书知识竞赛复赛举行",
        "记者近日从宁夏回族自治区总工会获悉",
        "在强化产业工人队伍理论武装方面，《意见》提出，要推动企业建立制度。",
    ],
)
def test_sentences_and_headlines_are_no_photo_credit(line):
    assert parse_photo_credit(line) is None
    assert split_caption_credit(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "“工会没建起来，决不能放弃”",
        "多走动 常联系 聊得开 谈得拢",
        "记者日前获悉",
        "记者近日从宁夏回族自治区总工会获悉",
        "量化目标任务 明确部门责任",
        "天 津",
        "园区执勤发现“新动向”",
        "本报记者 钱培坚 摄",
        "新闻特写",
    ],
)
def test_headlines_and_sentences_are_no_byline(line):
    assert parse_byline_line(line) is None


def test_is_name():
    assert is_name("夏同军") and is_name("欧阳文华") and is_name("次仁")
    assert not is_name("近日") and not is_name("集团") and not is_name("左二") and not is_name("高新区")
    assert not is_name("乌云其其格")  # five characters only after a role word
    assert is_name("乌云其其格", after_role=True)


# -- the annotated corpus of tests/pagegen reads as annotated -----------------------------------


def test_every_corpus_credit_reads_as_annotated():
    from tests.pagegen.corpus import load_corpus

    for photo in load_corpus().photos:
        if photo.inline_credit:
            _, c = split_caption_credit(f"{photo.caption} {photo.credit[0]}")
        elif len(photo.credit) == 2:
            c = parse_credit_lines(*photo.credit)
        else:
            c = parse_photo_credit(photo.credit[0])
        assert c is not None, photo.id
        assert sorted(p.name for p in c.people) == sorted(photo.credits), photo.id
        assert c.agency == photo.agency, photo.id


def test_every_corpus_byline_reads_as_annotated():
    from tests.pagegen.corpus import load_corpus

    for story in load_corpus().all_stories:
        found = []
        if story.byline_line:
            found += parse_byline_line(story.byline_line).people
        if story.lead:
            d = split_dateline(story.lead + "。")
            assert d is not None and d.dateline == story.dateline, story.id
            if d.byline:
                found += d.byline.people
        if story.tail:
            found += split_end_byline("正文。" + story.tail)[1].people
        for section in story.paragraphs[1:]:  # a round-up's later sections open with datelines
            d = split_dateline(section)
            if d and d.byline:
                found += d.byline.people
        got = [(str(p.role), p.name) for p in found]
        want = [(role, name) for role, name in story.bylines]
        assert [n for _, n in got] == [n for _, n in want], story.id
        assert all(w in ("", g) for (w, _), (g, _) in zip(want, got, strict=True)), story.id
