"""Behaviour of the page parser (articles.parsing) on hand-written snippets and the seeds."""

from __future__ import annotations

import pathlib
import re
import unicodedata

import pytest

from articles.parsing import PageDecodeError, decode_page, parse_page
from articles.parsing.model import ParsedArticle
from articles.parsing.text import count_controls

SEEDS = sorted((pathlib.Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def page(*blocks: str) -> str:
    """Blocks of a page separated by one blank line (as the OCR prints them)."""
    return "\n\n".join(blocks) + "\n"


def only(text: str) -> ParsedArticle:
    parsed = parse_page(text)
    assert len(parsed.articles) == 1, [a.title for a in parsed.articles]
    return parsed.articles[0]


def paras(a: ParsedArticle) -> list[str]:
    return [b.text for b in a.blocks if b.type == "paragraph"]


def subheads(a: ParsedArticle) -> list[str]:
    return [b.text for b in a.blocks if b.type == "subhead"]


def people(credits) -> list[tuple[str, str]]:
    return [(c.role, c.name) for c in credits]


BODY = "本报讯（记者李丹青）近日，某市总工会召开会议，部署全年工作。"


# -- headline groups --------------------------------------------------------------------------


def test_three_line_headline_group():
    a = only(page("宁夏出台意见", "建立联席会议制度", "提出11个方面的措施", BODY))
    assert (a.kicker, a.title, a.subtitle) == (
        "宁夏出台意见",
        "建立联席会议制度",
        "提出11个方面的措施",
    )


def test_two_lines_are_title_and_subtitle():
    a = only(page("汕头市总推动困难职工纳入政府兜底", "保障其家庭生活水平不低于低保标准", BODY))
    assert (a.kicker, a.title, a.subtitle) == (
        "",
        "汕头市总推动困难职工纳入政府兜底",
        "保障其家庭生活水平不低于低保标准",
    )


def test_kicker_ending_in_dash_leads_into_title():
    a = only(page("企业3次变动联系人，但工会工作者始终耐心细致——", "“工会没建起来，决不能放弃”", BODY))
    assert a.kicker == "企业3次变动联系人，但工会工作者始终耐心细致"
    assert a.title == "“工会没建起来，决不能放弃”"


def test_subtitle_starting_with_dash():
    a = only(page("为新就业形态劳动者办实事", "——各地纷纷启动服务月", BODY))
    assert a.title == "为新就业形态劳动者办实事"
    assert a.subtitle == "——各地纷纷启动服务月"


def test_two_parts_on_one_line_stay_one_headline():
    a = only(page("量化目标任务 明确部门责任 江苏阜宁县总实施“六个100”行动", BODY))
    assert a.title == "量化目标任务 明确部门责任 江苏阜宁县总实施“六个100”行动"
    assert paras(a)[0].startswith("近日")


def test_markdown_heading_marks_the_title():
    a = only(page("采取“大讲堂”模式,提供普惠性文化服务", "## 银川市总公益课提升职工幸福感", BODY))
    assert a.kicker == "采取“大讲堂”模式,提供普惠性文化服务"
    assert a.title == "银川市总公益课提升职工幸福感"
    assert "#" not in a.title


# -- datelines and bylines --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "dateline", "credits", "start"),
    [
        (
            "本报讯（记者李丹青 邹偶然）近日开会。",
            "本报讯",
            [("记者", "李丹青"), ("记者", "邹偶然")],
            "近日",
        ),
        (
            "本报广州6月23日电(记者叶小钟 通讯员廖宇红 实习生谢迅)记者今天获悉。",
            "本报广州6月23日电",
            [("记者", "叶小钟"), ("通讯员", "廖宇红"), ("实习生", "谢迅")],
            "记者今天",
        ),
        (
            "新华社北京6月1日电（记者王伟）今天开会。",
            "新华社北京6月1日电",
            [("记者", "王伟")],
            "今天",
        ),
        (
            "本报(记者王伟 通讯员唐璐 周永祥)记者日前获悉。",
            "本报",
            [("记者", "王伟"), ("通讯员", "唐璐"), ("通讯员", "周永祥")],
            "记者日前",
        ),
        (
            "**本报讯** (通讯员张建军 记者康劲)近日出台措施。",
            "本报讯",
            [("通讯员", "张建军"), ("记者", "康劲")],
            "近日",
        ),
        (
            "本报讯（特约记者赵一 见习记者钱二 特约通讯员孙三）今天开会。",
            "本报讯",
            [("特约记者", "赵一"), ("见习记者", "钱二"), ("特约通讯员", "孙三")],
            "今天",
        ),
    ],
)
def test_dateline_forms(line, dateline, credits, start):
    a = only(page("某市总工会召开全委会议", line))
    assert a.dateline == dateline
    assert people(a.bylines) == credits
    assert paras(a)[0].startswith(start)
    assert "*" not in paras(a)[0]


def test_byline_line_under_headline():
    a = only(page("“建会小分队”来了", "本报记者 田国奎 本报通讯员 冯际刚", "6月10日，记者来到某公司。"))
    assert people(a.bylines) == [("记者", "田国奎"), ("通讯员", "冯际刚")]
    assert paras(a) == ["6月10日，记者来到某公司。"]


def test_signed_column_author_after_affiliation():
    a = only(
        page(
            "【主席之声】",
            "“四链赋能”助力职工成长成才",
            "无锡高新区(新吴区)总工会党组书记、副主席 夏同军",
            "无锡高新区总工会始终坚持以职工为中心。",
        )
    )
    assert a.column == "主席之声"
    assert [(c.name, c.role, c.affiliation) for c in a.bylines] == [
        ("夏同军", "作者", "无锡高新区(新吴区)总工会党组书记、副主席")
    ]


def test_bracketed_name_at_the_very_end_is_a_byline():
    a = only(page("某省推进产改", "本报讯 近日，某省推进产改工作。", "在新征程上再立新功。（梁伟强）"))
    assert "梁伟强" in [c.name for c in a.bylines]
    assert next(c.role for c in a.bylines if c.name == "梁伟强") in ("", "作者")
    assert paras(a)[-1] == "在新征程上再立新功。"


# -- columns, subheads, notes, tips, sources, jumps ------------------------------------------


def test_plain_column_label():
    a = only(page("新闻特写", "微论坛上给职工制度“体检”", BODY))
    assert a.column == "新闻特写"
    assert a.title == "微论坛上给职工制度“体检”"


def test_subheads_inside_an_article():
    a = only(
        page(
            "“建会小分队”来了",
            "本报记者 李丰",
            "6月10日，记者来到某公司。",
            "进驻工作薄弱区域",
            "仁怀市是著名的白酒生产基地。",
        )
    )
    assert subheads(a) == ["进驻工作薄弱区域"]
    assert paras(a) == ["6月10日，记者来到某公司。", "仁怀市是著名的白酒生产基地。"]


def test_spaced_region_subheads_keep_a_roundup_one_article():
    text = page(
        "各地启动服务月",
        "天 津",
        "本报讯（记者张玺）11月4日，天津市总工会启动服务月。",
        "吉 林",
        "本报讯（记者彭冰）11月5日，吉林省启动服务月。",
    )
    a = only(text)
    assert subheads(a) == ["天 津", "吉 林"]
    assert a.dateline == "本报讯"
    assert {"张玺", "彭冰"} <= {c.name for c in a.bylines}


def test_editor_note_is_not_body():
    a = only(
        page(
            "【主席之声】",
            "聚焦主责主业",
            "基层工会直接联系服务职工群众。",
            "【编者按】某区总工会加强学习型机关建设。",
        )
    )
    assert a.editor_note == "某区总工会加强学习型机关建设。"
    assert all("编者按" not in p for p in paras(a))


@pytest.mark.parametrize("label", ["阅读提示", "阅 读 提 示"])
def test_reading_tip_box(label):
    a = only(
        page(
            "3粒“种子”赋能“产改”",
            "本报记者 田国奎",
            label,
            "如何深入推进“产改”？高密市总这样做。",
            "记者日前了解到好消息。",
        )
    )
    assert a.reading_tip == "如何深入推进“产改”？高密市总这样做。"
    assert paras(a) == ["记者日前了解到好消息。"]


@pytest.mark.parametrize("closing", ["（下转第2版）", "来源：《工人日报》"])
def test_a_reading_tip_after_a_piece_that_ended_belongs_to_the_next_story(closing):
    # the tip box printed above its story's headline: the piece before it has closed
    first, second = parse_page(
        page(
            "让劳模精神绽放光彩",
            "本报讯 劳模是民族的精英、人民的楷模。",
            closing,
            "阅读提示",
            "各地工会推动新就业形态劳动者入会取得明显成效。",
            "新就业形态劳动者入会有了“快通道”",
            "本报记者 赵雪梅",
            "记者了解到，多地工会推出网上入会等便捷方式。",
        )
    ).articles
    assert first.reading_tip == ""
    assert second.title == "新就业形态劳动者入会有了“快通道”"
    assert second.reading_tip == "各地工会推动新就业形态劳动者入会取得明显成效。"


def test_a_reading_tip_with_no_story_after_it_stays_on_the_page():
    (a,) = parse_page(
        page("让劳模精神绽放光彩", "本报讯 劳模是民族的精英。", "（下转第2版）", "阅读提示", "工会推动入会。")
    ).articles
    assert a.reading_tip == "工会推动入会。"


@pytest.mark.parametrize("label", ["履职手记", "**履职手记**", "主席之声", "工会博览"])
def test_the_papers_columns_without_brackets_are_columns(label):
    a = only(page(label, "做职工的贴心人", "本报讯 今年以来，某区总工会为职工办实事200余件。"))
    assert (a.column, a.title, a.subtitle) == (label.strip("*"), "做职工的贴心人", "")


@pytest.mark.parametrize("place", ["浙江", "内蒙古", "黑龙江", "江 西", "内 蒙 古"])
def test_a_round_ups_place_names_are_subheads_spaced_or_not(place):
    # each section opens with its own dateline: without the place read as a place, the
    # name would head a new story
    a = only(
        page(
            "多地工会为一线职工送去冬日温暖",
            place,
            "本报讯（记者沈红梅）入冬以来，当地工会为户外劳动者送去棉衣和防寒药品。",
            "湖北",
            "本报讯（记者何平）湖北省总工会为困难职工家庭发放慰问金。",
        )
    )
    assert a.title == "多地工会为一线职工送去冬日温暖"
    assert subheads(a) == [place, "湖北"]
    assert people(a.bylines) == [("记者", "沈红梅"), ("记者", "何平")]


def test_source_line():
    a = only(
        page(
            "【工会博览】",
            "长春职工互助保障权益升级",
            "近日，长春市总工会调整互助保障。",
            "来源:《工人日报》",
        )
    )
    assert a.column == "工会博览"
    assert a.source_note == "来源:《工人日报》"
    assert all("来源" not in p for p in paras(a))


def test_jump_lines_both_ways():
    a = only(page("(上接第1版)", "及时跟进学。全总坚持第一时间传达。"))
    assert a.continued_from_page == 1
    assert paras(a) == ["及时跟进学。全总坚持第一时间传达。"]
    b = only(page("某市召开大会", BODY, "会议要求各单位抓好落实。", "（下转第2版）"))
    assert b.continued_to_page == 2


# -- rejoining broken lines -------------------------------------------------------------------


def test_broken_line_rejoined():
    a = only(page("某市总工会召开全委会议", BODY, "据工作人员介绍，该", "《意见》具有四个特点。"))
    assert paras(a)[-1] == "据工作人员介绍，该《意见》具有四个特点。"


def test_join_across_an_interleaved_headline_and_tip():
    a = only(
        page(
            "某街道总工会帮助企业建会",
            "本报记者 钱培坚",
            "一天上午，王丹看见园区有十多个人正",
            "阅 读 提 示",
            "与企业第一位联系人谈建会刚谈得差不离。",
            "在搬家。出于职业敏感，王丹上前询问。",
        )
    )
    assert paras(a) == ["一天上午，王丹看见园区有十多个人正在搬家。出于职业敏感，王丹上前询问。"]


def test_byline_and_body_before_their_own_headline():
    text = page(
        "某区总力促农民工创业",
        "本报讯（记者田国全）记者日前了解到好消息。",
        "本报记者 邹偶然",
        "“退休返聘人员如何管理？”",
        "“如何对退休返聘人员实施管",
        "新闻特写",
        "微论坛上给职工制度“体检”",
        "理？”某公司工会主席道出了困惑。",
    )
    parsed = parse_page(text)
    assert [a.title for a in parsed.articles] == [
        "某区总力促农民工创业",
        "微论坛上给职工制度“体检”",
    ]
    story = parsed.articles[1]
    assert story.column == "新闻特写"
    assert people(story.bylines) == [("记者", "邹偶然")]
    assert paras(story)[-1] == "“如何对退休返聘人员实施管理？”某公司工会主席道出了困惑。"


def test_word_score_decides_between_competing_open_ends():
    text = page(
        "【主席之声】",
        "“四链赋能”助力职工成长成才",
        "新吴区总工会紧扣扩大覆盖面、增强凝聚力目标，以组织建设、阵地建设、数字赋能为主线，强化阵地建设扩大组织",
        "【履职手记】",
        "“串珠成链”赋能高质量发展",
        "南京市总发挥红色点位中劳模创新工作室的示范引领作用，动员广大职工投身劳动和技能竞赛，开展市级劳",
        "覆盖、以建会扩面反哺服务效能。",
    )
    first, second = parse_page(text).articles
    assert paras(first)[-1].endswith("扩大组织覆盖、以建会扩面反哺服务效能。")
    assert any("拼接" in w for w in first.warnings)
    assert paras(second)[-1].endswith("开展市级劳")
    assert second.needs_review and any("结尾不完整" in w for w in second.warnings)


def test_two_open_ends_get_the_continuations_that_form_words_with_them():
    # A greedy reading gives 强管理 to the first end (加强 is a word) and then has nothing
    # for 增; the best assignment over the page gives 强 to 增 (增强) and 快 to 加 (加快).
    text = page(
        "某市总工会部署全年工作",
        "本报讯 会议要求各单位加",
        "某区总工会召开全委会",
        "本报讯 会议强调各级工会要增",
        "某县总工会开展慰问",
        "本报讯（记者李丹青）近日，某县总工会开展慰问活动。",
        "强管理，提升服务水平。",
        "快进度，年底前全部完成。",
    )
    first, second, third = parse_page(text).articles
    assert paras(first) == ["会议要求各单位加快进度，年底前全部完成。"]
    assert paras(second) == ["会议强调各级工会要增强管理，提升服务水平。"]
    assert paras(third) == ["近日，某县总工会开展慰问活动。"]
    assert first.needs_review and second.needs_review  # joined across other stories: flagged
    assert not third.needs_review


def test_a_continuation_two_ends_fit_equally_stays_where_it_is_and_is_flagged():
    text = page(
        "某市总工会部署全年工作",
        "本报讯 会议要求各单位加",
        "某区总工会召开全委会",
        "本报讯 会议强调各级工会要加",
        "某县总工会开展慰问",
        "本报讯（记者李丹青）近日，某县总工会开展慰问活动。",
        "强管理，提升服务水平。",
    )
    first, second, third = parse_page(text).articles
    assert paras(first) == ["会议要求各单位加"] and paras(second) == ["会议强调各级工会要加"]
    assert paras(third)[-1] == "强管理，提升服务水平。"
    assert all(a.needs_review for a in (first, second, third))
    assert any("接续存疑" in w for w in third.warnings)


def test_a_paragraph_continued_after_another_story_brings_the_text_after_it():
    text = page(
        "某市总工会部署全年工作",
        "本报讯（记者李丹青）近日，某市总工会召开会议，要求各单位加",
        "某区总工会召开全委会",
        "本报讯（记者邹偶然）近日，某区总工会召开全委会，部署全年工作。",
        "强管理，提升服务水平。",
        "会议还表彰了一批先进集体。",
    )
    first, second = parse_page(text).articles
    assert paras(first) == [
        "近日，某市总工会召开会议，要求各单位加强管理，提升服务水平。",
        "会议还表彰了一批先进集体。",
    ]
    assert paras(second) == ["近日，某区总工会召开全委会，部署全年工作。"]


# -- photos -----------------------------------------------------------------------------------


def photos_of(*blocks: str):
    return parse_page("\n\n\n\n".join(blocks) + "\n")


@pytest.mark.parametrize("label", ["图片新闻", "新闻图片", "图片报道"])
def test_news_photos_under_their_label_keep_their_titles_and_head_no_story(label):
    # 图片新闻 over photos printed one after the other, titles before or after their captions;
    # the story below takes neither the label nor a photo title
    parsed = parse_page(
        page(
            label,
            "技能比武展风采",
            "9月16日，选手们在职工技能大赛焊工项目中同台比拼。新华社发（胡馨学 摄）",
            "10月3日，游客在景区观看非遗表演。张远 摄/中新社",
            "古镇里的非遗课",
            "某市召开职工代表大会",
            "本报讯（特约记者 刘强）近日，某市召开第十五届职工代表大会。",
        )
    )
    assert [(p.title, p.agency) for p in parsed.photos] == [
        ("技能比武展风采", "新华社"),
        ("古镇里的非遗课", "中新社"),
    ]
    (a,) = parsed.articles
    assert (a.column, a.title, a.subtitle) == (None, "某市召开职工代表大会", "")


def test_a_headline_group_never_reaches_over_a_photo():
    # a short line left before a photo (here a title the photo did not take) and the headline
    # after the photo are not one headline group
    parsed = parse_page(
        page(
            "某市召开大会",
            "本报讯 近日，某市召开大会。",
            "会议部署了全年工作。",
            "工会进企宣讲扶贫政策",
            "——某地“送政策进企业”活动侧记",
            "10月22日，工会干部到企业宣讲政策。本报通讯员 杨长武 摄",
            "职工书屋开进工地",
            "本报讯 近日，职工书屋在地铁建设工地落成。",
        )
    )
    titles = [(a.title, a.subtitle) for a in parsed.articles]
    assert ("职工书屋开进工地", "") in titles, titles


def test_photo_title_caption_credit():
    parsed = photos_of(
        "某市召开大会\n\n" + BODY,
        "工会进企宣讲扶贫政策\n\n10月22日，工会干部到企业宣讲政策。\n\n本报通讯员 杨长武 摄",
    )
    assert len(parsed.articles) == 1
    (p,) = parsed.photos
    assert (p.title, p.caption) == ("工会进企宣讲扶贫政策", "10月22日，工会干部到企业宣讲政策。")
    assert people(p.credits) == [("通讯员", "杨长武")]
    assert p.agency == ""


def test_photo_credit_with_agency_line():
    (p,) = photos_of("家政培训\n\n3月22日，培训老师正在讲课。\n\n毕兴世 摄  \n视觉中国").photos
    assert [c.name for c in p.credits] == ["毕兴世"]
    assert p.agency == "视觉中国"


def test_xinhua_credit_in_brackets():
    (p,) = photos_of("消防安全进校园\n\n11月9日，孩子们在体验消防设备。\n\n新华社发（胡馨学 摄）").photos
    assert [c.name for c in p.credits] == ["胡馨学"]
    assert p.agency == "新华社"


def test_credit_on_caption_last_line_and_title_after_caption():
    parsed = photos_of(
        "日前，职工群众载歌载舞，热烈庆祝建党105周年。朱华南 摄",
        "载歌载舞庆“七一”\n\n【主席之声】\n\n聚焦主责主业\n\n基层工会直接联系服务职工群众。",
    )
    (p,) = parsed.photos
    assert p.title == "载歌载舞庆“七一”"
    assert p.caption == "日前，职工群众载歌载舞，热烈庆祝建党105周年。"
    assert [c.name for c in p.credits] == ["朱华南"]
    assert [a.title for a in parsed.articles] == ["聚焦主责主业"]


def test_several_names_in_one_credit():
    (p,) = photos_of("职工线上点单 工会线下配单\n\n6月22日，开办茶艺培训。 本报通讯员 张锋 孟宪勋 摄").photos
    assert p.title == "职工线上点单 工会线下配单"
    assert people(p.credits) == [("通讯员", "张锋"), ("通讯员", "孟宪勋")]


@pytest.mark.parametrize(
    ("credit", "people", "agency"),
    [
        ("新华社记者 肖艺九 摄", [("记者", "肖艺九")], "新华社"),
        ("本报特约记者 赵一 摄", [("特约记者", "赵一")], ""),
        ("本报记者 张三 本报通讯员 李四 摄", [("记者", "张三"), ("通讯员", "李四")], ""),
        ("张远 摄/中新社", [("", "张远")], "中新社"),
        ("龙巍 摄/视觉中国", [("", "龙巍")], "视觉中国"),
        ("视觉中国供图", [], "视觉中国"),
        ("刘海燕/供图", [("", "刘海燕")], ""),
    ],
)
def test_photo_credit_forms(credit, people, agency):
    parsed = photos_of("某市召开大会\n\n" + BODY, f"技能比武展风采\n\n9月16日，选手同台比拼。\n\n{credit}")
    assert [a.title for a in parsed.articles] == ["某市召开大会"]
    (p,) = parsed.photos
    assert (p.title, p.caption) == ("技能比武展风采", "9月16日，选手同台比拼。")
    assert people_of(p.credits) == people and p.agency == agency


def people_of(credits) -> list[tuple[str, str]]:
    return [(c.role, c.name) for c in credits]


@pytest.mark.parametrize(
    ("signature", "people"),
    [
        ("（梁伟强）", [("", "梁伟强")]),
        ("（刘丽萍 顾威）", [("", "刘丽萍"), ("", "顾威")]),
        ("（记者张三 通讯员李四）", [("记者", "张三"), ("通讯员", "李四")]),
    ],
)
def test_names_in_brackets_closing_a_piece_are_its_bylines(signature, people):
    a = only(page("某市召开大会", "本报讯 近日，某市召开大会。", f"会议部署了全年工作。{signature}"))
    assert people_of(a.bylines) == people
    assert paras(a)[-1] == "会议部署了全年工作。"


@pytest.mark.parametrize(
    ("signature", "people"),
    [
        ("（梁伟强）", [("", "梁伟强")]),
        ("（刘丽萍 顾威）", [("", "刘丽萍"), ("", "顾威")]),
        ("（记者张三 通讯员李四）", [("记者", "张三"), ("通讯员", "李四")]),
        ("(记者张三 通讯员李四)", [("记者", "张三"), ("通讯员", "李四")]),
    ],
)
def test_names_in_brackets_on_a_line_of_their_own_close_the_piece_above(signature, people):
    # the OCR often puts a piece's closing signature on a line of its own: it signs the piece
    # above and is never the headline of the story below
    parsed = parse_page(
        page(
            "某市召开大会",
            "本报讯 近日，某市召开大会。",
            "会议部署了全年工作。",
            signature,
            "职工书屋开进工地",
            "本报讯 近日，职工书屋在地铁建设工地落成。",
        )
    )
    first, second = parsed.articles
    assert (first.title, second.title) == ("某市召开大会", "职工书屋开进工地")
    assert people_of(first.bylines) == people
    assert paras(first)[-1] == "会议部署了全年工作。"
    assert not first.needs_review and second.subtitle == "" and second.bylines == []


def test_a_signature_line_adds_to_the_reporters_of_the_dateline():
    a = only(
        page(
            "困难职工家庭过上好日子",
            "本报讯（记者马红梅）记者从省总工会获悉，全省已有1.2万户困难职工家庭解困脱困。",
            "（通讯员李四）",
        )
    )
    assert people_of(a.bylines) == [("记者", "马红梅"), ("通讯员", "李四")]
    assert paras(a) == ["记者从省总工会获悉，全省已有1.2万户困难职工家庭解困脱困。"]
    assert a.warnings == []


def test_a_signature_line_after_a_cut_paragraph_is_not_glued_into_it():
    # the paragraph above does not end: the names in brackets cannot close it, and they
    # are not a headline either; the open end is flagged as before
    parsed = parse_page(page("某市召开大会", "本报讯 近日，某市召开大会，会议部署了全年", "（刘丽萍 顾威）"))
    (a,) = parsed.articles
    assert a.title == "某市召开大会"
    assert a.needs_review
    assert "（刘丽萍 顾威）" not in a.title + a.subtitle


@pytest.mark.parametrize("mark", ["□刘冰", "■ 刘冰", "文/刘冰"])
def test_an_author_mark_above_the_headline_leaves_the_headline_a_headline(mark):
    parsed = parse_page(
        page(
            "某市召开大会",
            "本报讯 近日，某市召开大会。",
            mark,
            "工会干部要多到一线去",
            "只有多到一线去，才能真正了解职工所思所盼所急。",
        )
    )
    first, second = parsed.articles
    assert first.title == "某市召开大会"
    assert second.title == "工会干部要多到一线去" and [c.name for c in second.bylines] == ["刘冰"]
    assert paras(second) == ["只有多到一线去，才能真正了解职工所思所盼所急。"]
    assert not second.needs_review


def test_a_byline_above_its_headline_and_editors_note_is_one_story():
    parsed = parse_page(
        page(
            "某市召开大会",
            "本报讯 近日，某市召开大会。",
            "【履职手记】",
            "浙江省绍兴市柯桥区总工会党组书记、常务副主席 陈宏伟",
            "把职工的“小事”当成“大事”",
            "【编者按】基层工会干部怎样把服务做到职工心坎上？",
            "柯桥是纺织大区，一线职工中外来务工人员占了七成。",
            "小事里有大民生",
            "有的职工说，夜班下班后买不到热饭。",
        )
    )
    first, second = parsed.articles
    assert first.title == "某市召开大会" and first.bylines == []
    assert (second.column, second.title) == ("履职手记", "把职工的“小事”当成“大事”")
    assert [c.name for c in second.bylines] == ["陈宏伟"]
    assert second.editor_note == "基层工会干部怎样把服务做到职工心坎上？"
    assert subheads(second) == ["小事里有大民生"]


def test_a_byline_above_its_headline_takes_the_dateline_story_below():
    (a,) = parse_page(
        page("本报记者 赵雪梅", "新就业形态劳动者入会有了“快通道”", "本报讯 多地工会推出网上入会。")
    ).articles
    assert a.title == "新就业形态劳动者入会有了“快通道”"
    assert people(a.bylines) == [("记者", "赵雪梅")]
    assert paras(a) == ["多地工会推出网上入会。"] and not a.needs_review


def test_a_clause_under_a_headline_printed_below_its_byline_is_the_cut_first_line():
    a = only(
        page(
            "江苏省常州市武进区总工会副主席 顾红梅",
            "倾听是最好的服务",
            "当了十几年工会干部，我最大的体会是：职工愿意",
            "跟你说心里话，工会工作就成功了一半。",
        )
    )
    assert (a.title, a.subtitle) == ("倾听是最好的服务", "")
    assert paras(a) == ["当了十几年工会干部，我最大的体会是：职工愿意跟你说心里话，工会工作就成功了一半。"]


def test_a_headline_under_its_byline_is_no_cut_line_when_a_word_only_seems_to_cross():
    # 距离 + 去年 make 离去 across the break, but each side is whole words of its own: the
    # short line is the headline, not the first piece of the paragraph
    a = only(
        page(
            "【履职手记】",
            "四川省绵阳市涪城区总工会主席 李春梅",
            "一张“连心卡”拉近了距离",
            "去年春天，我们给辖区内的每名职工发放了一张“连心卡”。",
        )
    )
    assert (a.column, a.title) == ("履职手记", "一张“连心卡”拉近了距离")
    assert paras(a) == ["去年春天，我们给辖区内的每名职工发放了一张“连心卡”。"]


def test_a_cut_first_line_under_an_author_mark_stays_text():
    # a clause and a comma: the first line of the paragraph, cut by the OCR, not a headline
    a = only(
        page(
            "技能人才待遇要“看得见”",
            "□王五",
            "提高技能人才待遇，是吸引",
            "更多年轻人走技能成才之路的关键。",
        )
    )
    assert a.title == "技能人才待遇要“看得见”"
    assert paras(a) == ["提高技能人才待遇，是吸引更多年轻人走技能成才之路的关键。"]


def test_spaced_out_names_in_a_byline_line_and_a_dateline_are_names():
    first, second = parse_page(
        page(
            "一线工人的“金点子”",
            "本报记者 钱 培 坚",
            "“这个小改进，一年能给车间省下十几万元。”老李说。",
            "某市召开大会",
            "本报讯（记者 刘 兵 通讯员 冯 刚）近日，某市召开大会。",
        )
    ).articles
    assert first.title == "一线工人的“金点子”" and people(first.bylines) == [("记者", "钱培坚")]
    assert people(second.bylines) == [("记者", "刘兵"), ("通讯员", "冯刚")]


def test_bracketed_words_closing_a_sentence_are_no_byline():
    a = only(page("某市召开大会", "本报讯 近日，某市召开大会。", "会议部署了全年工作。（完）"))
    assert a.bylines == [] and paras(a)[-1] == "会议部署了全年工作。（完）"


@pytest.mark.parametrize("mark", ["□刘冰", "■ 刘冰", "文/刘冰"])
def test_author_marks_are_bylines(mark):
    a = only(page("让劳动者休息权落到实处", mark, "近来，一些地方出现了“隐形加班”现象。"))
    assert a.title == "让劳动者休息权落到实处"
    assert [c.name for c in a.bylines] == ["刘冰"]
    assert paras(a) == ["近来，一些地方出现了“隐形加班”现象。"]


@pytest.mark.parametrize("banner", ["信息快递", "新闻速递", "简讯"])
def test_a_banner_is_the_column_of_the_briefs_under_it_never_a_headline(banner):
    parsed = parse_page(
        page(
            banner,
            "拉萨举办职工篮球赛",
            "本报讯（记者王五）近日，拉萨市总工会举办职工篮球赛。",
            "贵阳建成百个“职工之家”",
            "本报讯（记者赵六）近日，贵阳市建成100个“职工之家”示范点。",
            "【主席之声】",
            "聚焦主责主业",
            "基层工会直接联系服务职工群众。",
        )
    )
    titles = [(a.kicker, a.title, a.column) for a in parsed.articles]
    assert titles == [
        ("", "拉萨举办职工篮球赛", banner),
        ("", "贵阳建成百个“职工之家”", banner),
        ("", "聚焦主责主业", "主席之声"),
    ]


@pytest.mark.parametrize(
    ("first", "second", "people", "agency"),
    [
        ("本报通讯员", "杨长武 摄", [("通讯员", "杨长武")], ""),
        ("张远 摄/", "中新社", [("", "张远")], "中新社"),
        ("本报记者 张三", "本报通讯员 李四 摄", [("记者", "张三"), ("通讯员", "李四")], ""),
    ],
)
def test_a_credit_broken_over_two_lines_is_one_credit(first, second, people, agency):
    photo = f"技能比武展风采\n\n9月16日，选手同台比拼。\n\n{first}\n{second}"
    parsed = photos_of("某市召开大会\n\n" + BODY, photo)
    assert [(a.kicker, a.title) for a in parsed.articles] == [("", "某市召开大会")]
    (p,) = parsed.photos
    assert people_of(p.credits) == people and p.agency == agency


def test_a_short_line_after_a_credit_is_the_photos_title_not_the_next_kicker():
    parsed = photos_of(
        "某市召开大会\n\n" + BODY,
        "9月16日，选手同台比拼。\n\n本报通讯员 杨长武 摄\n\n技能比武展风采\n\n某区总工会召开全委会\n\n"
        "本报讯（记者邹偶然）近日，某区总工会召开全委会。",
    )
    (p,) = parsed.photos
    assert p.title == "技能比武展风采"
    assert [a.title for a in parsed.articles] == ["某市召开大会", "某区总工会召开全委会"]
    assert [a.kicker for a in parsed.articles] == ["", ""]


def test_a_short_line_opening_like_a_sentence_is_body_text_not_a_headline():
    a = only(page("某市召开大会", BODY, "据了解，天河区总工会今年已在商圈", "建成24小时驿站18个。"))
    assert a.title == "某市召开大会" and a.kicker == "" and a.subtitle == ""
    assert paras(a)[-1] == "据了解，天河区总工会今年已在商圈建成24小时驿站18个。"


def test_a_brief_signed_in_its_only_paragraph_keeps_both_names():
    a = only(page("拉萨举办职工篮球赛", "本报讯 近日，拉萨市总工会举办职工篮球赛。（张敏 王强）"))
    assert people_of(a.bylines) == [("", "张敏"), ("", "王强")]
    assert paras(a) == ["近日，拉萨市总工会举办职工篮球赛。"]


# -- nothing else becomes an article; warnings ------------------------------------------------


def test_advertising_is_not_an_article():
    parsed = parse_page(page("某市召开大会", BODY, "广告"))
    assert [a.title for a in parsed.articles] == ["某市召开大会"]
    assert parsed.warnings


def test_no_headline_is_flagged():
    a = only(page("本报讯（记者李丹青）近日，某市总工会召开会议。"))
    assert a.title == ""
    assert "未找到标题" in a.warnings and a.needs_review


def test_truncated_ending_is_flagged():
    a = only(page("某市召开大会", BODY, "会议还为职工提供健康体检、法律咨询"))
    assert any(w.startswith("结尾不完整") and "法律咨询" in w for w in a.warnings)
    assert a.needs_review


def test_clean_article_needs_no_review():
    assert not only(page("某市召开大会", BODY)).needs_review


def test_duplicated_sentence_is_kept_and_flagged():
    a = only(
        page(
            "某市召开大会",
            BODY,
            "线路推出以来已吸引30余万人次参与。",
            "线路推出以来已吸引30余万人次参与。",
        )
    )
    assert len(paras(a)) == 3
    assert any("重复" in w for w in a.warnings)


def test_markdown_and_stray_cjk_spaces_removed():
    a = only(page("# 某市召开大会", "**本报讯** 为把工会组织建设得更 有活力，召开会议。"))
    assert a.title == "某市召开大会"
    assert paras(a) == ["为把工会组织建设得更有活力，召开会议。"]


def test_full_and_half_width_punctuation_parse_alike():
    full = page("某市召开大会", "本报讯（记者李丹青）近日，某市开会：部署工作。")
    half = page("某市召开大会", "本报讯(记者李丹青)近日,某市开会:部署工作。")
    a, b = only(full), only(half)
    assert (a.title, a.dateline, people(a.bylines)) == (b.title, b.dateline, people(b.bylines))


# -- decoding ---------------------------------------------------------------------------------

SAMPLE = "某市召开大会\n\n本报讯（记者李丹青）近日开会。\n"


def test_decode_utf8_bom_gb18030_crlf_are_equivalent():
    expected = decode_page(SAMPLE.encode("utf-8"))
    assert expected == SAMPLE
    assert decode_page(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")) == expected
    assert decode_page(SAMPLE.encode("gb18030")) == expected
    assert decode_page(SAMPLE.replace("\n", "\r\n").encode("utf-8")) == expected
    assert decode_page(SAMPLE.replace("\n", "\r").encode("gbk")) == expected


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"", "empty"),
        (b"  \r\n\n \t", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (bytes(range(1, 9)) * 20, "binary"),
        (b"\xff\xfe\xfa\xfb\x81", "undecodable"),
    ],
)
def test_decode_errors(data, word):
    with pytest.raises(PageDecodeError, match=word):
        decode_page(data)
    assert issubclass(PageDecodeError, ValueError)


def test_a_few_control_characters_in_a_page_are_tolerated_many_are_binary():
    # C0 and C1 controls count (not newline or tab, not CJK text, not \xa0 or \u3000)
    assert count_controls("第一行\n\t第二行\u3000。\xa0") == 0
    assert count_controls("a\x01b\x1f\x7f\x85\x9f中") == 5
    text = "某市召开大会\n\n本报讯 近日开会，部署工作。\n" * 3 + "\x07\x1b\n"
    assert decode_page(text.encode("utf-8")) == text
    with pytest.raises(PageDecodeError, match="control characters"):
        decode_page(("某市开会。\x07\x1b\x85" * 20).encode("utf-8"))


# -- the seed pages ---------------------------------------------------------------------------


def _norm(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", s) if not ch.isspace() and ch not in "#*")


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_no_text_lost_on_seed_pages(path):
    text = decode_page(path.read_bytes())
    parsed = parse_page(text)
    fields: list[str] = []
    for a in parsed.articles:
        fields += [a.column or "", a.kicker, a.title, a.subtitle, a.dateline, a.editor_note]
        fields += [a.reading_tip, a.source_note] + [b.text for b in a.blocks]
        fields += [c.name + c.role + c.affiliation for c in a.bylines]
    for p in parsed.photos:
        fields += [p.title, p.caption, p.agency] + [c.role + c.name for c in p.credits]
    out = _norm("".join(fields))
    missing = set()
    for line in text.splitlines():
        if re.fullmatch(r"[(（](上接|下转)第\d+版[)）]|阅读提示", _norm(line)):
            continue  # markers, not article text
        chars = set(_norm(line)) - set("()（）【】[]")
        missing |= chars - set(out)
    assert not missing - set("广告讯摄发"), sorted(missing)[:20]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_pages_parse_to_articles_and_photos(path):
    parsed = parse_page(decode_page(path.read_bytes()))
    assert len(parsed.articles) >= 4
    assert parsed.photos
    assert all(a.title or "未找到标题" in a.warnings for a in parsed.articles)


def test_seed_page_000_structure():
    parsed = parse_page(decode_page(SEEDS[0].read_bytes()))
    titles = [a.title for a in parsed.articles]
    assert "微论坛上给职工制度“体检”" in titles
    assert [p.title for p in parsed.photos] == ["工会进企宣讲扶贫政策", "为劳动者留影"]
    assert not any("本报记者" in t for t in titles)


# -- pieces and fragments the layout hides ------------------------------------------------------

STORY = (
    "某会年会召开",
    "本报讯（通讯员辛文雪）11月6日，某研究会年会在北京召开，专家学者参加了会议。",
    "会上，研究会对年会优秀论文评出一、二、三等奖，研究会还发布了年会课题指南。",
    "本届年会是研究会首次举办的视频年会，年会论文数量多、质量高。",
)
ESSAY_LEAD = (
    "《论语》书云：“见贤思齐焉。”对标先进，让产业工人队伍建设改革工作有标准、有榜样。",
    "某省推进产业工人队伍建设改革领导小组办公室深入推进产业工人队伍建设改革试点工作。",
)
ESSAY_BODY = (
    "高位谋篇布局",
    "某省推进产业工人队伍建设改革领导小组办公室把试点放在大局中谋划，产业工人队伍建设改革取得新成效。",
    "精准靶向发力",
    "某省推进产业工人队伍建设改革领导小组办公室选树典型，推动产业工人队伍建设改革向基层延伸。（梁伟强）",
)


def test_signed_piece_without_headline_takes_back_its_opening_paragraphs():
    parsed = parse_page(page(*STORY, *ESSAY_LEAD, *ESSAY_BODY))
    story, essay = parsed.articles
    assert story.title == "某会年会召开"
    assert paras(story)[-1].endswith("质量高。") and len(paras(story)) == 3
    assert essay.title == "" and "未找到标题" in essay.warnings and essay.needs_review
    assert paras(essay)[0].startswith("《论语》书云")
    assert paras(essay)[1].startswith("某省推进")
    assert subheads(essay) == ["高位谋篇布局", "精准靶向发力"]
    assert [c.name for c in essay.bylines] == ["梁伟强"]


def test_unsigned_piece_after_a_story_leaves_the_story_whole():
    body = (*ESSAY_BODY[:-1], ESSAY_BODY[-1].replace("（梁伟强）", ""))
    story, essay = parse_page(page(*STORY, *ESSAY_LEAD, *body)).articles
    assert len(paras(story)) == 5  # no signature: nothing says where the piece begins
    assert paras(essay)[0].startswith("某省推进产业工人队伍建设改革领导小组办公室把试点")


def test_story_keeps_paragraphs_that_do_not_share_the_piece_wording():
    other = ("研究会还表彰了年会优秀组织单位，年会论文集将于年底出版。",)
    story, essay = parse_page(page(*STORY, *other, *ESSAY_BODY)).articles
    assert paras(story)[-1] == other[0]
    assert subheads(essay)[0] == "高位谋篇布局"


@pytest.mark.parametrize(
    "start",
    ["革新；智创未来包含多个点位，举办现场体验18场。", "的工作机制，各级工会还将持续推进。"],
)
def test_paragraph_opening_mid_sentence_is_flagged(start):
    a = only(page("某市召开大会", BODY, start))
    assert paras(a)[-1] == start
    assert any(w.startswith("片段缺少开头") for w in a.warnings) and a.needs_review


@pytest.mark.parametrize(
    "start",
    [
        "近日，某区总工会启动服务月活动。",
        "扬州市总、市场监督管理局出台实施意见。",
        "一；提高站位，压实责任。",
        "的确，这项工作还有很长的路要走。",
    ],
)
def test_ordinary_paragraph_openings_are_not_fragments(start):
    a = only(page("某市召开大会", BODY, start))
    assert not any(w.startswith("片段缺少开头") for w in a.warnings)


LIST_STORY = (
    "青岛市总密织工会维权网络",
    "本报讯（记者杨明清）记者日前从青岛市总工会获悉，青岛市总多措并举，为职工挽回经济损失2100余万元。",
    "搭建工会维权平台，夯实维权组织基础。联合人社部门设立工会法律援助岗。",
    "成立工会维权骨干队伍，提供专业化维权服务。优化升级工会法律顾问团。",
)
OTHER_STORY = (
    "银川市总公益课提升职工幸福感",
    "本报讯（记者马学礼）“感觉自己的业余文化生活一下子变了样，非常充实。”近日，银川职工说。",
    "据统计，银川市总自开办公益课以来，共开设合唱、形体等10个培训班。",
)
LATE_ITEMS = (
    "加强“四方联动”机制建设，形成维权服务合力。推动建立协调化解机制。",
    "创新工会普法载体，提高职工法治宣传效益。编印《职工维权知识手册》。",
)


def test_list_items_after_an_interleaved_story_return_to_their_list():
    cut = "强化制度资金保障，为维权体系建设提"
    qingdao, yinchuan = parse_page(page(*LIST_STORY, cut, *OTHER_STORY, *LATE_ITEMS)).articles
    assert paras(qingdao)[-3:] == [cut, *LATE_ITEMS]
    assert any(w.startswith("段落归属按格式推断") for w in qingdao.warnings)
    assert paras(yinchuan)[-1].endswith("10个培训班。")
    assert not yinchuan.warnings


def test_list_items_stay_when_the_list_story_ended():
    done = "强化制度资金保障，为维权体系建设提供支撑。"
    qingdao, yinchuan = parse_page(page(*LIST_STORY, done, *OTHER_STORY, *LATE_ITEMS)).articles
    assert paras(qingdao)[-1] == done
    assert paras(yinchuan)[-2:] == list(LATE_ITEMS)


def test_seed_pages_place_hidden_pieces():
    by_name = {p.name[:3]: parse_page(decode_page(p.read_bytes())) for p in SEEDS}
    (essay,) = [a for a in by_name["004"].articles if paras(a) and paras(a)[0].startswith("《论语")]
    assert not essay.title and [c.name for c in essay.bylines] == ["梁伟强"]
    (nanjing,) = [a for a in by_name["002"].articles if any(p.startswith("革新") for p in paras(a))]
    assert any(w.startswith("片段缺少开头") for w in nanjing.warnings)
    (qingdao,) = [a for a in by_name["001"].articles if a.title.startswith("青岛市总")]
    assert paras(qingdao)[-1].endswith("开展普法宣传。") and qingdao.needs_review


def test_a_round_up_keeps_each_sections_dateline_and_the_spaces_between_its_names():
    page = parse_page(
        "各地启动服务月\n\n天 津\n\n本报讯（记者张玺 通讯员崔晓雪）11月4日,天津市总工会启动服务月。\n\n"
        "湖 北\n\n本报荆州11月9日电（记者张翀 通讯员谢文哲）今天,湖北省在荆州市启动服务月。\n"
    )
    [article] = page.articles
    paragraphs = [b.text for b in article.blocks if b.type == "paragraph"]
    assert paragraphs[-1] == "本报荆州11月9日电（记者张翀 通讯员谢文哲）今天,湖北省在荆州市启动服务月。"
    assert [(c.role, c.name) for c in article.bylines] == [
        ("记者", "张玺"), ("通讯员", "崔晓雪"), ("记者", "张翀"), ("通讯员", "谢文哲"),
    ]  # fmt: skip


def test_a_byline_printed_after_its_story_joins_that_story_for_review():
    page = parse_page(
        "工会进企宣讲扶贫政策\n\n街道工会经常前往辖区村庄宣传政策。\n\n"
        "该街道工会还引导龙头企业帮扶贫困户。\n\n本报记者 张三\n"
    )
    [article] = page.articles
    assert [(c.role, c.name) for c in article.bylines] == [("记者", "张三")]
    assert article.needs_review and any("张三" in w for w in article.warnings)


def test_a_second_byline_line_before_a_story_is_not_lost():
    page = parse_page("本报记者 钱培坚\n\n本报记者 李丰\n\n标题在这里\n\n正文内容在这里。\n")
    [article] = page.articles
    assert {c.name for c in article.bylines} == {"钱培坚", "李丰"}
    assert article.needs_review


def test_a_page_with_only_a_byline_keeps_it_as_a_piece_to_review():
    [article] = parse_page("本报记者 钱培坚\n").articles
    assert [c.name for c in article.bylines] == ["钱培坚"] and article.needs_review


def test_word_list_is_read_without_importing_jiebas_segmenter():
    import subprocess
    import sys

    code = (
        "import sys; from articles.parsing.words import word_list; "
        "w = word_list(); print(len(w) > 100000, '加强' in w, 'jieba' in sys.modules)"
    )
    root = pathlib.Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.split() == ["True", "True", "False"]
