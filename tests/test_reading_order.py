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
