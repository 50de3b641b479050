"""Reading order and body assembly (articles.parsing.reading_order): which text continues
which open paragraph end, on hand-written snippets laid out the way the OCR prints a page."""

from __future__ import annotations

from articles.parsing import parse_page
from articles.parsing.model import ParsedArticle


def page(*blocks: str) -> str:
    """Blocks of a page separated by one blank line (as the OCR prints them)."""
    return "\n\n".join(blocks) + "\n"


def paras(a: ParsedArticle) -> list[str]:
    return [b.text for b in a.blocks if b.type == "paragraph"]


def only(text: str) -> ParsedArticle:
    parsed = parse_page(text)
    assert len(parsed.articles) == 1, [a.title for a in parsed.articles]
    return parsed.articles[0]


LEAD = "本报讯（记者李丹青）近日，某市总工会召开会议，部署全年工作。"


# -- what counts as an open end ---------------------------------------------------------------


def test_a_piece_signed_in_brackets_after_its_last_sentence_is_not_an_open_end():
    # ``…14项。（沈佳）`` closes its piece: the clause after it continues the open end above,
    # not the signed paragraph printed right before it.
    first, second = parse_page(
        page(
            "某市总工会部署全年工作",
            "本报讯 会议要求各单位加强管理",
            "某县总工会开展体检",
            "本报讯 某县总工会为职工免费体检，项目包括血常规等14项。（沈佳）",
            "，提升服务水平。",
        )
    ).articles
    assert paras(first) == ["会议要求各单位加强管理，提升服务水平。"]
    assert paras(second) == ["某县总工会为职工免费体检，项目包括血常规等14项。"]
    assert [c.name for c in second.bylines] == ["沈佳"]


def test_a_note_wholly_in_brackets_closes_its_piece():
    # signed columns end with the author's note in brackets (``（作者系…）``, ``（作者单位：…）``):
    # the piece is finished, nothing is missing after it, and no editor need be told
    a = only(
        page(
            "让每一条建议都有回音",
            "张建华",
            "今年以来，我走访了辖区内的20多家企业，收集职工意见建议60余条。",
            "（作者系全国人大代表、某集团公司高级技师）",
        )
    )
    assert paras(a)[-1] == "（作者系全国人大代表、某集团公司高级技师）"
    assert not any("未找到下文" in w or "结尾不完整" in w for w in a.warnings), a.warnings


def test_an_open_end_nothing_continues_is_flagged_where_it_stands():
    # the subhead after the cut sentence does not continue it (no word across the break):
    # the sentence is kept as it stands, and the article is marked for review
    a = only(
        page(
            "某市总工会开展送清凉活动",
            "本报记者 李丹青",
            "近日，某市总工会开展送清凉活动。慰问组来到",
            "防暑降温送到一线",
            "市总工会有关负责人表示，活动将持续到9月底。",
        )
    )
    assert [(b.type, b.text) for b in a.blocks] == [
        ("paragraph", "近日，某市总工会开展送清凉活动。慰问组来到"),
        ("subhead", "防暑降温送到一线"),
        ("paragraph", "市总工会有关负责人表示，活动将持续到9月底。"),
    ]
    assert a.needs_review and any("未找到下文" in w for w in a.warnings)


def test_a_finished_story_is_not_flagged():
    a = only(page("某市总工会部署全年工作", LEAD, "会议还表彰了一批先进集体。"))
    assert not a.needs_review


# -- a short line that is a piece of a paragraph ------------------------------------------------


def test_a_short_piece_with_clauses_goes_on_in_the_line_after_it():
    a = only(
        page("某市总工会建设职工驿站", LEAD, "今年以来，全市各级工会已建成职工驿站", "86个，覆盖所有街道。")
    )
    assert paras(a) == [
        LEAD[LEAD.index("近日") :],
        "今年以来，全市各级工会已建成职工驿站86个，覆盖所有街道。",
    ]
    assert a.blocks[-1].type == "paragraph"


def test_a_short_piece_that_leaves_a_quote_open_goes_on_in_the_line_after_it():
    a = only(page("某市总工会推行师带徒", LEAD, "“教会徒弟不会饿死", "师傅，反倒多了一份收入。”他说。"))
    assert paras(a)[-1] == "“教会徒弟不会饿死师傅，反倒多了一份收入。”他说。"
    assert all(b.type == "paragraph" for b in a.blocks)


def test_a_short_piece_followed_by_a_clause_that_cannot_open_a_sentence_joins_it():
    a = only(
        page(
            "包头为环卫工人建起爱心早餐点",
            "本报讯（记者李丹青）近日，包头市的爱心早餐点正式开放。",
            "这是包头市总工会联合爱心企业开展",
            "的一项公益活动。",
        )
    )
    assert paras(a)[-1] == "这是包头市总工会联合爱心企业开展的一项公益活动。"


def test_a_short_piece_cut_inside_a_word_joins_the_line_after_it():
    a = only(
        page(
            "高原上的铁路医生",
            "本报记者 张扬",
            "海拔4000多米的青藏铁",
            "路格拉段，寒风裹着雪粒打在脸上生疼。",
        )
    )
    assert paras(a) == ["海拔4000多米的青藏铁路格拉段，寒风裹着雪粒打在脸上生疼。"]


def test_a_subhead_before_its_section_stays_a_subhead():
    a = only(
        page(
            "某街道总工会帮助企业建会",
            "本报记者 钱培坚",
            "“我没想到，最早上门服务的竟然是工会组织。”企业负责人说。",
            "园区执勤发现“新动向”",
            "今年3月，工会工作者王丹被派往园区执勤。",
        )
    )
    assert [b.type for b in a.blocks] == ["paragraph", "subhead", "paragraph"]
    assert a.blocks[1].text == "园区执勤发现“新动向”"


# -- which story a block sits under, what stands before it ------------------------------------


def test_a_continuation_under_another_story_goes_to_the_story_whose_words_it_shares():
    # no word crosses ``技术工人|凭职业…``, but the block shares the wording of the cut story
    # (职业技能等级认定, 芜湖市总工会) and not of the story it is printed under: it is that
    # story's rest, and the guess is flagged on both sides
    first, second = parse_page(
        page(
            "安徽芜湖：技术工人凭本事评职称",
            "本报讯（记者许文杰）芜湖市总工会今年在32家重点企业推行职业技能等级认定，技术工人",
            "南昌“职工小课堂”开进工地",
            "本报讯 日前，南昌市青山湖区总工会把“职工小课堂”开进地铁施工工地。",
            "课后，工会干部还为工人们发放了防暑降温用品。",
            "凭职业技能等级认定结果评职称，芜湖市总工会全程参与监督。",
        )
    ).articles
    assert paras(first) == [
        "芜湖市总工会今年在32家重点企业推行职业技能等级认定，技术工人"
        "凭职业技能等级认定结果评职称，芜湖市总工会全程参与监督。"
    ]
    assert paras(second) == [
        "日前，南昌市青山湖区总工会把“职工小课堂”开进地铁施工工地。",
        "课后，工会干部还为工人们发放了防暑降温用品。",
    ]
    assert first.needs_review


def test_text_after_a_closed_piece_continues_an_open_end():
    # ``来源:…`` closes the piece above it: the text after it is not that piece's next
    # paragraph, so it continues the sentence left open before (重庆|已建立: no word across)
    first, second = parse_page(
        page(
            "重庆开展新业态劳动者集体协商试点",
            "本报讯 重庆市总工会确定在3个行业开展集体协商试点。",
            "据了解，截至6月底，重庆",
            "厦门职工疗休养增加“亲子线路”",
            "本报讯 厦门职工疗休养新增“亲子线路”，职工可带一名未成年子女同行。",
            "来源：《工人日报》",
            "已建立新就业形态劳动者工会组织580个，吸纳会员12.3万人。",
        )
    ).articles
    assert (
        paras(first)[-1] == "据了解，截至6月底，重庆已建立新就业形态劳动者工会组织580个，吸纳会员12.3万人。"
    )
    assert paras(second) == ["厦门职工疗休养新增“亲子线路”，职工可带一名未成年子女同行。"]
    assert second.source_note == "来源：《工人日报》"


def test_a_source_line_goes_with_the_text_it_closes_when_that_text_moves():
    first, second = parse_page(
        page(
            "上海浦东：白领午间“充电”课堂受欢迎",
            "本报讯 楼宇工会负责人介绍，课堂开办两年，已累计举办240期，参",
            "新疆首批“工匠学院”挂牌",
            "本报讯 新疆首批8所“工匠学院”12日挂牌成立。据介绍，“工匠学院",
            "与职工超过1.5万人次。",
            "来源：《工人日报》",
            "”由自治区总工会联合骨干企业共同建设。",
        )
    ).articles
    assert paras(first) == ["楼宇工会负责人介绍，课堂开办两年，已累计举办240期，参与职工超过1.5万人次。"]
    assert first.source_note == "来源：《工人日报》"
    assert paras(second) == [
        "新疆首批8所“工匠学院”12日挂牌成立。据介绍，“工匠学院”由自治区总工会联合骨干企业共同建设。"
    ]
    assert second.source_note == ""


def test_text_after_an_advertisement_is_judged_by_what_stands_before_the_advertisement():
    # the advertisement is a box of its own: the text after it follows a cut sentence
    a = only(
        page(
            "某市总工会开展送清凉活动",
            "本报讯 慰问组把一箱箱饮品搬到工棚里，并叮嘱项目负责人合理调整",
            "广告",
            "作业时间，避开午间高温时段。",
        )
    )
    assert paras(a) == ["慰问组把一箱箱饮品搬到工棚里，并叮嘱项目负责人合理调整作业时间，避开午间高温时段。"]


# -- the words across a break, and the likeliest rest of an open end --------------------------------


def test_a_word_across_the_break_counts_only_where_the_joined_text_reads_as_that_word():
    from articles.parsing.words import crossing

    # 要求各单位加|强管理: 加强 is how the joined text reads
    assert crossing("单位加", "强管理") > 0
    # 能马上|前年: 马上 + 前年 read better than 上前 — the break falls between two words
    assert crossing("能马上", "前年") == 0


def test_an_open_end_is_not_joined_to_a_word_that_splits_two_whole_words():
    # ``…能马上`` + ``前年，…`` makes 上前 across the break, but the text reads 马上 | 前年:
    # the other story's paragraph stays in its story
    first, second = parse_page(
        page(
            "某市总工会为职工办实事",
            "本报讯（记者李丹青）市总工会建立了职工需求清单，每月梳理一次，能马上",
            "某县总工会开办暑期托管班",
            "本报讯（记者王伟）某县总工会近日开办职工子女暑期托管班。",
            "前年，一家纺织企业的女职工反映孩子暑假无人照看，县总工会随即与企业商量办班。",
        )
    ).articles
    assert paras(second)[-1].startswith("前年，一家纺织企业")
    assert not any("前年" in p for p in paras(first))


def test_the_rest_of_an_open_end_printed_after_another_story_is_joined_and_both_flagged():
    # the cut paragraph's rest (no word across 班组|配送) is printed after the other
    # story's finished paragraph: it reads on from the open end far better than anything
    # else on the page, so it is joined — and both stories are marked for review
    first, second = parse_page(
        page(
            "某市职工书屋进班组",
            "本报讯（记者李丹青）近日，某市总工会为全市30个一线班组",
            "某县铁路工区巡检忙",
            "本报讯（记者王伟）今年以来，某县铁路工区共处理线路病害210余处。",
            "配送“职工书屋”图书1.2万册，内容涵盖技术技能、文化艺术等类别。",
        )
    ).articles
    assert paras(first) == [
        "近日，某市总工会为全市30个一线班组配送“职工书屋”图书1.2万册，内容涵盖技术技能、文化艺术等类别。"
    ]
    assert paras(second) == ["今年以来，某县铁路工区共处理线路病害210余处。"]
    assert first.needs_review and second.needs_review


def test_a_paragraph_that_may_be_the_rest_of_an_open_end_is_flagged_where_it_stands():
    # the open end finds no sure continuation, and the line that would read on from it best
    # (no word across 班组|配送) sits under another story: it stays there, and that story is
    # marked for review as well — either may be wrong, neither silently
    first, second = parse_page(
        page(
            "某市职工书屋进班组",
            "本报讯（记者李丹青）近日，某市总工会为全市30个一线班组",
            "某县铁路工区巡检忙",
            "本报讯（记者王伟）今年以来，某县铁路工区共处理线路病害210余处。",
            "配送图书1.2万册，内容涵盖技术技能、文化艺术等类别。",
        )
    ).articles
    assert paras(first) == ["近日，某市总工会为全市30个一线班组"]
    assert paras(second)[-1] == "配送图书1.2万册，内容涵盖技术技能、文化艺术等类别。"
    assert first.needs_review and second.needs_review


# -- a block that cannot open a paragraph, wherever it stands ------------------------------------


def test_the_rest_of_a_list_after_another_story_continues_the_list_it_breaks_off():
    # ``就餐、洗浴等服务。`` opens in the middle of a list (an item and 、): no paragraph opens
    # so, so although it follows another story's finished paragraph it is the rest of the
    # open ``…提供休息、``
    first, second = parse_page(
        page(
            "湖南株洲建起货车司机之家",
            "本报讯 株洲市总工会在物流园区建起10个“司机之家”，为司机提供休息、",
            "某县总工会开办暑期托管班",
            "本报讯（记者王伟）某县总工会近日开办职工子女暑期托管班。",
            "就餐、洗浴等服务。",
        )
    ).articles
    assert paras(first) == ["株洲市总工会在物流园区建起10个“司机之家”，为司机提供休息、就餐、洗浴等服务。"]
    assert paras(second) == ["某县总工会近日开办职工子女暑期托管班。"]


def test_a_word_or_two_closing_a_sentence_is_the_rest_of_one_begun_elsewhere():
    # ``关键。近年来，…`` opens with the last word of a sentence: it continues ``…之路的``
    first, second = parse_page(
        page(
            "技能人才待遇要“看得见”",
            "■王五",
            "提高技能人才待遇，是吸引更多年轻人走技能成才之路的",
            "某县总工会开办暑期托管班",
            "本报讯（记者王伟）某县总工会近日开办职工子女暑期托管班。",
            "关键。近年来，各地陆续出台政策，推动技能等级与薪酬挂钩。",
        )
    ).articles
    assert paras(first) == [
        "提高技能人才待遇，是吸引更多年轻人走技能成才之路的关键。近年来，各地陆续出台政策，推动技能等级与薪酬挂钩。"
    ]
    assert paras(second) == ["某县总工会近日开办职工子女暑期托管班。"]


def test_text_after_a_signed_piece_continues_an_open_end():
    # ``…14项。（沈佳）`` signs its piece: the text after it is not that piece's next paragraph,
    # so it goes on with the sentence left open before (还将|新建: no word across the break)
    first, second = parse_page(
        page(
            "湖北宜昌为货车司机开设“司机之家”",
            "本报讯 宜昌市总工会有关负责人表示，今年全市还将",
            "某县总工会为职工免费体检",
            "本报讯 某县总工会为职工免费体检，项目包括血常规等14项。（沈佳）",
            "新建5个“司机之家”，基本覆盖主要物流园区和高速公路服务区。",
        )
    ).articles
    assert paras(first) == [
        "宜昌市总工会有关负责人表示，今年全市还将新建5个“司机之家”，基本覆盖主要物流园区和高速公路服务区。"
    ]
    assert paras(second) == ["某县总工会为职工免费体检，项目包括血常规等14项。"]
    assert [c.name for c in second.bylines] == ["沈佳"]


def test_a_long_word_across_the_break_joins_a_rest_printed_after_another_story():
    # 物流|园区 makes 物流园区, a rare word in the list but one of four characters, which no
    # two pieces make by chance: the block after the other story's finished paragraph is the
    # rest of the open end
    first, second = parse_page(
        page(
            "湖北宜昌为货车司机开设“司机之家”",
            "本报讯 今年全市还将新建5个“司机之家”，基本覆盖主要物流",
            "某县总工会开办暑期托管班",
            "本报讯（记者王伟）某县总工会近日开办职工子女暑期托管班。",
            "园区和高速公路服务区。",
        )
    ).articles
    assert paras(first) == ["今年全市还将新建5个“司机之家”，基本覆盖主要物流园区和高速公路服务区。"]
    assert paras(second) == ["某县总工会近日开办职工子女暑期托管班。"]


def test_a_line_that_cannot_be_a_paragraph_where_it_stands_flags_the_story_holding_it():
    # ``…施工工地，`` stops on a comma, and ``邀请…`` (no word across, nothing in common) is not
    # joined to it; but it follows the other story's open paragraph, where it cannot be that
    # story's next paragraph either: it stays there, and that story is flagged too
    first, second = parse_page(
        page(
            "“职工小课堂”开进工地",
            "本报讯 日前，某区总工会把“职工小课堂”开进地铁施工工地，",
            "某县总工会为职工免费体检",
            "本报讯 某县总工会为职工免费体检，项目包括血",
            "邀请安全生产专家为200多名建筑工人讲解安全操作规程。",
            "常规、肝功能等14项。",
        )
    ).articles
    assert paras(first) == ["日前，某区总工会把“职工小课堂”开进地铁施工工地，"]
    assert first.needs_review
    assert paras(second)[0] == "某县总工会为职工免费体检，项目包括血常规、肝功能等14项。"
    assert any(w.startswith("段落归属存疑") for w in second.warnings)


def test_a_paragraph_after_a_finished_one_is_not_flagged_for_an_end_that_lost_its_rest():
    # the open end had a continuation to weigh and lost it; the other story's paragraph after
    # its finished one may well be its own: that story is not flagged for it
    first, second = parse_page(
        page(
            "“职工小课堂”开进工地",
            "本报讯 日前，某区总工会把“职工小课堂”开进地铁施工工地，",
            "某县总工会开办暑期托管班",
            "本报讯（记者王伟）某县总工会近日开办职工子女暑期托管班。",
            "托管班每天开放8小时，安排专人照看。",
        )
    ).articles
    assert first.needs_review
    assert paras(second)[-1] == "托管班每天开放8小时，安排专人照看。"
    assert not second.needs_review
