"""Line roles and the field a line becomes, decided from what the line is and what stands
around it (not from where the OCR broke lines or whether it left markdown).

Every snippet here is written for the test, in the paper's style.
"""

from __future__ import annotations

from articles.parsing import parse_page
from articles.parsing.model import ParsedArticle


def page(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


def only(text: str) -> ParsedArticle:
    parsed = parse_page(text)
    assert len(parsed.articles) == 1, [(a.title, [b.text[:10] for b in a.blocks]) for a in parsed.articles]
    return parsed.articles[0]


def paras(a: ParsedArticle) -> list[str]:
    return [b.text for b in a.blocks if b.type == "paragraph"]


def subheads(a: ParsedArticle) -> list[str]:
    return [b.text for b in a.blocks if b.type == "subhead"]


NOTE = "【编者按】基层工会怎样把服务做到职工心坎上？本期刊发一位区总工会负责人的履职手记。"


# -- editor's note ----------------------------------------------------------------------------


def test_editor_note_between_headline_and_text_is_that_storys():
    text = page(
        "把职工的“小事”当成“大事”",
        "某区总工会党组书记、常务副主席 陈宏伟",
        NOTE,
        "刚到区总工会工作时，我跑了几十家企业，听到最多的是一些看似不起眼的“小事”。",
        "职工食堂开进园区",
        "本报讯（记者王伟）近日，某园区首家职工食堂开业，每天供应三餐。",
    )
    first, second = parse_page(text).articles
    assert first.title == "把职工的“小事”当成“大事”"
    assert first.editor_note.startswith("基层工会怎样把服务做到")
    assert second.editor_note == ""


def test_editor_note_after_a_headline_alone_is_that_storys():
    a = only(page("凝心聚力建新功", NOTE, "广东省总工会组织宣讲团深入企业车间，已开展宣讲320余场。"))
    assert a.editor_note.startswith("基层工会")
    assert paras(a) == ["广东省总工会组织宣讲团深入企业车间，已开展宣讲320余场。"]


# -- a short line right after a story's opening is its text --------------------------------------


def test_cut_first_line_after_a_byline_is_not_a_headline():
    a = only(
        page(
            "凌晨四点的“早餐车”",
            "本报见习记者 唐雪莹",
            "凌晨四点，天还没",
            "亮，一辆白色的“爱心早餐车”已经亮起了灯。",
        )
    )
    assert a.title == "凌晨四点的“早餐车”"
    assert a.bylines[0].name == "唐雪莹"
    assert "".join(paras(a)).startswith("凌晨四点，天还没亮")


def test_cut_first_line_after_an_editors_note_is_not_a_headline():
    a = only(
        page(
            "以“三心”服务筑牢职工之家",
            NOTE,
            "区总工会坚持以职",
            "工为中心的工作导向，推动服务资源向基层倾斜。",
        )
    )
    assert a.title == "以“三心”服务筑牢职工之家"
    assert "".join(paras(a)).startswith("区总工会坚持以职工为中心")


def test_cut_first_line_after_a_jump_line_is_text():
    parsed = parse_page(page("（上接第1版）", "各级工会把学习成果转", "化为服务职工的实际行动。"))
    (a,) = parsed.articles
    assert a.continued_from_page == 1
    assert a.title == ""
    assert "".join(paras(a)) == "各级工会把学习成果转化为服务职工的实际行动。"


def test_headline_before_a_dateline_after_a_byline_still_heads_its_story():
    first, second = parse_page(
        page(
            "老师傅的新课堂",
            "本报记者 林一鸣",
            "车间里，老师傅正手把手地教徒弟。",
            "重庆开展集体协商试点",
            "本报重庆7月15日电（记者黎明远）今天，重庆市总工会召开推进会。",
        )
    ).articles
    assert (first.title, second.title) == ("老师傅的新课堂", "重庆开展集体协商试点")


# -- several clauses are a cut body line, not a headline ------------------------------------------


def test_a_short_line_of_several_clauses_is_body_text():
    a = only(
        page(
            "凌晨四点的“早餐车”",
            "本报讯（记者唐雪莹）一辆白色的“爱心早餐车”亮起了灯。",
            "一辆车连着三方心意",
            "这辆早餐车由区总工会牵头，爱心企业出资、社区志愿者服务，每天为周边300多名环卫工人免费",
            "供应早餐。开办一年来，早餐车从没停过一天。",
        )
    )
    assert subheads(a) == ["一辆车连着三方心意"]
    assert paras(a)[-1].startswith("这辆早餐车由区总工会牵头")


def test_a_headline_line_with_one_comma_stays_in_the_headline():
    a = only(
        page(
            "某市总成立专门工作团队，帮助小微企业工会组织建起来、转起来、活起来",
            "“建会小分队”来了",
            "本报讯（记者王伟）今年以来，某市总工会组建“建会小分队”。",
        )
    )
    # two lines and no dash: kicker + title or title + subtitle, both headline parts
    parts = [a.kicker, a.title, a.subtitle]
    assert "“建会小分队”来了" in parts
    assert any(p.startswith("某市总成立专门工作团队") for p in parts)
    assert paras(a) == ["今年以来，某市总工会组建“建会小分队”。"]


# -- subheads of a dateline story stay in it --------------------------------------------------


def test_subheads_after_a_finished_dateline_paragraph_stay_in_the_story():
    a = only(
        page(
            "某市建成劳动争议调解“一张网”",
            "本报讯（记者蒙丽娟）日前，某市总工会召开推进会，通报全市调解“一张网”建设情况。",
            "四级调解组织全覆盖",
            "全市在市、县、乡镇和园区四级设立劳动争议调解组织。",
            "调解与诉讼无缝衔接",
            "对调解不成的案件，工会法律援助律师全程跟进。",
        )
    )
    assert subheads(a) == ["四级调解组织全覆盖", "调解与诉讼无缝衔接"]
    assert paras(a)[-1] == "对调解不成的案件，工会法律援助律师全程跟进。"
    assert not a.needs_review


def test_a_signed_piece_after_a_brief_stays_a_piece_of_its_own():
    parsed = parse_page(
        page(
            "某市职工书屋进班组",
            "本报讯（记者黄雪琴）近日，某市总工会为一线班组配送图书1.2万册。",
            "读书要读到心里",
            "书屋建起来了，更要让职工读起来。（周振宇）",
        )
    )
    assert len(parsed.articles) == 2
    piece = parsed.articles[1]
    assert [c.name for c in piece.bylines] == ["周振宇"]
    assert piece.needs_review  # no headline of its own


# -- photo titles ---------------------------------------------------------------------------


def test_photo_title_before_a_caption_that_closes_with_its_credit():
    parsed = parse_page(
        page(
            "坚守在万家团圆时",
            "除夕夜，铁路调度员在调度台前监控列车运行。 赵卫东 摄",
            "宁夏石嘴山劳模创新工作室结成联盟",
            "本报讯（记者马学军）近日，宁夏石嘴山市12家劳模创新工作室结成联盟。",
        )
    )
    (photo,) = parsed.photos
    assert photo.title == "坚守在万家团圆时"
    assert [c.name for c in photo.credits] == ["赵卫东"]
    (story,) = parsed.articles
    assert (story.kicker, story.title) == ("", "宁夏石嘴山劳模创新工作室结成联盟")


def test_a_cut_body_line_before_a_caption_is_not_the_photo_title():
    parsed = parse_page(
        page(
            "某市总工会建起爱心驿站",
            "本报讯（记者李丹）近日，某市总工会在商圈建成爱心驿站。",
            "“以前要跑好几趟，现在在病房里就办好",
            "10月16日，职工运动员参加开幕式。",
            "本报通讯员 王磊 摄",
            "职工运动会开幕",
            "某区开展技能比武",
            "本报讯（记者王伟）日前，某区举办职工技能比武。",
        )
    )
    (photo,) = parsed.photos
    assert photo.title == "职工运动会开幕"
    assert photo.caption == "10月16日，职工运动员参加开幕式。"
    first, second = parsed.articles
    assert "“以前要跑好几趟" in "".join(paras(first))
    assert second.title == "某区开展技能比武"


def test_a_photo_title_after_another_photos_title_is_its_own():
    parsed = parse_page(
        page(
            "8月26日，焊工在超高层建筑的钢结构上进行焊接作业。",
            "新华社记者 黄宗治 丁汀 摄",
            "高空“焊”卫者",
            "金秋采摘季",
            "10月9日，果农在采摘苹果。",
            "张远 摄/中新社",
        )
    )
    titles = [(p.title, p.agency) for p in parsed.photos]
    assert titles == [("高空“焊”卫者", "新华社"), ("金秋采摘季", "中新社")]


# -- a subhead and the cut first line under it are not a new story's headline -------------------


def test_subhead_followed_by_a_cut_line_stays_in_the_story():
    a = only(
        page(
            "一条生产线上的“技能接力”",
            "本报记者 孔德明",
            "清晨7点半，装配车间已经忙碌起来。",
            "一本手册传了三代人",
            "车间的工具柜里，放着",
            "一本边角已经磨毛的《装配操作要领》。",
        )
    )
    assert a.title == "一条生产线上的“技能接力”"
    assert subheads(a) == ["一本手册传了三代人"]
    assert "".join(paras(a)).endswith("车间的工具柜里，放着一本边角已经磨毛的《装配操作要领》。")


def test_title_and_dash_subtitle_after_a_story_start_a_new_one():
    first, second = parse_page(
        page(
            "某市职工书屋进班组",
            "本报讯（记者黄雪琴）近日，某市总工会为一线班组配送图书1.2万册。",
            "一条生产线上的“技能接力”",
            "——记一家柴油机企业的师带徒传统",
            "清晨7点半，装配车间已经忙碌起来。",
        )
    ).articles
    assert (second.title, second.subtitle) == ("一条生产线上的“技能接力”", "——记一家柴油机企业的师带徒传统")
    assert subheads(first) == []


def test_a_story_after_a_box_of_briefs_that_opens_without_a_dateline_is_not_in_the_box():
    first, second = parse_page(
        page(
            "新闻速递",
            "某市职工书屋进班组",
            "本报讯（记者黄雪琴）近日，某市总工会为一线班组配送图书1.2万册。",
            "凝心聚力建新功",
            NOTE,
            "广东省总工会组织宣讲团深入企业车间，已开展宣讲320余场。",
        )
    ).articles
    assert first.column == "新闻速递"
    assert second.column is None and second.editor_note.startswith("基层工会")


def test_cut_first_lines_after_a_jump_line_are_text_however_many():
    # the continued text's headline was printed with its beginning on the other page
    parsed = parse_page(
        page(
            "（上接第1版）",
            "各级工会把学习成果转",
            "化为服务职工的实际行动，推动一批职工急难",
            "愁盼问题得到解决。",
        )
    )
    (a,) = parsed.articles
    assert a.continued_from_page == 1
    assert a.title == ""
    assert (
        "".join(paras(a)) == "各级工会把学习成果转化为服务职工的实际行动，推动一批职工急难愁盼问题得到解决。"
    )


def test_a_short_line_opening_with_a_sentence_adverbial_is_text_not_a_headline():
    # ``据了解，…`` opens a sentence, never a headline: the line is the cut paragraph's
    # piece, and the next story's headline stays its own
    first, second = parse_page(
        page(
            "重庆开展新业态劳动者集体协商试点",
            "本报讯 重庆市总工会确定在3个行业开展集体协商试点。",
            "据了解，截至6月底，重庆",
            "厦门职工疗休养增加“亲子线路”",
            "本报讯 厦门职工疗休养新增“亲子线路”，职工可带一名未成年子女同行。",
        )
    ).articles
    assert first.title == "重庆开展新业态劳动者集体协商试点"
    assert paras(first)[-1] == "据了解，截至6月底，重庆"
    assert first.needs_review  # the sentence stops: its rest is not on the page
    assert (second.kicker, second.title) == ("", "厦门职工疗休养增加“亲子线路”")


def test_the_line_after_a_jump_line_is_text_even_before_another_storys_headline():
    # (上接第1版) leads the text it continues; the story interleaved after the cut line keeps
    # its own headline
    first, second = parse_page(
        page(
            "（上接第1版）",
            "各级工会把学习成果转化为服",
            "浙江温州开展“最美职工”评选",
            "本报温州9月3日电 温州市总工会主办的“最美职工”评选活动今天启动。",
            "务职工的实际行动，推动一批职工急难愁盼问题得到解决。",
        )
    ).articles
    assert first.continued_from_page == 1 and first.title == ""
    assert (
        "".join(paras(first))
        == "各级工会把学习成果转化为服务职工的实际行动，推动一批职工急难愁盼问题得到解决。"
    )
    assert second.title == "浙江温州开展“最美职工”评选"
    assert paras(second) == ["温州市总工会主办的“最美职工”评选活动今天启动。"]


def test_a_photo_title_after_a_cut_line_is_the_photos_when_the_text_after_the_photo_completes_the_line():
    # 建成职工服务中|心1个…: the short line before the title is a cut body line (its rest follows
    # the photo), not the last line of a headline group
    parsed = parse_page(
        page(
            "以“三心”服务筑牢职工之家",
            "本报记者 吴长青",
            "包河区总工会坚持以职工为中心的工作导向，推动服务资源向基层倾斜。",
            "贴心服务解难题",
            "我们在全区建成职工服务中",
            "巧手绣出“非遗”新花样",
            "9月18日，在贵州省黔东南一家民族服饰合作社，绣娘们在赶制苗绣订单。",
            "本报见习记者 石小兰 摄",
            "心1个、街道职工服务站11个，职工就近就能找到工会。",
        )
    )
    (photo,) = parsed.photos
    assert photo.title == "巧手绣出“非遗”新花样"
    (a,) = parsed.articles
    assert subheads(a) == ["贴心服务解难题"]
    assert paras(a)[-1] == "我们在全区建成职工服务中心1个、街道职工服务站11个，职工就近就能找到工会。"


def test_a_line_cut_inside_a_word_above_a_headline_is_text_when_a_later_line_completes_it():
    # 还建|立: the rest of the word opens a later line (with no word of its own), so the
    # short line is a paragraph's cut end, not the kicker of the headline under it
    first, second = parse_page(
        page(
            "黑龙江大庆：工会帮企业留住技术骨干",
            "本报讯（记者张海波）黑龙江省大庆市总工会日前开展“技术骨干留得住”专项行动。",
            "大庆市总工会还建",
            "云南曲靖职工书屋进班组",
            "——让职工在车间就能读上好书",
            "本报讯（通讯员杨兴华）近日，云南省曲靖市总工会为全市30个一线班组配送图书1.2万册。",
            "立技术骨干联系制度，由各级工会干部每人联系5名以上技术骨干。",
        )
    ).articles
    assert paras(first)[-1] == "大庆市总工会还建立技术骨干联系制度，由各级工会干部每人联系5名以上技术骨干。"
    assert (second.kicker, second.title, second.subtitle) == (
        "",
        "云南曲靖职工书屋进班组",
        "——让职工在车间就能读上好书",
    )
    assert paras(second) == ["近日，云南省曲靖市总工会为全市30个一线班组配送图书1.2万册。"]


def test_a_short_line_opening_with_a_date_or_with_a_reporters_source_is_text():
    # ``今年10月，…`` and ``记者从…`` open a news sentence, never a headline
    a = only(
        page(
            "“娘家人”帮农民工讨回欠薪",
            "本报讯（记者黄雪琴）日前，农民工代表把一面锦旗送到工会法律援助站。",
            "今年10月，老赵和同乡31名",
            "工友在一处住宅项目务工结束后，施工方迟迟不支付工资。",
            "记者从芜湖市总工会了解",
            "到，工会法律援助站当天就受理了此案。",
        )
    )
    assert paras(a)[1:] == [
        "今年10月，老赵和同乡31名工友在一处住宅项目务工结束后，施工方迟迟不支付工资。",
        "记者从芜湖市总工会了解到，工会法律援助站当天就受理了此案。",
    ]
    assert subheads(a) == []


# -- a cut piece of the paragraph above a headline group ------------------------------------------


def test_a_cut_piece_sharing_the_words_of_the_text_above_is_not_the_next_storys_kicker():
    # the piece has clauses and no sentence end, like a long kicker; but it takes up the
    # words of the story above it (园区总工会, 新就业形态), not those of the story under
    # the headline: it is the cut end of the paragraph above
    first, second = parse_page(
        page(
            "园区总工会推出服务新就业形态劳动者十条措施",
            "本报讯（记者李丹青）园区总工会近日出台服务新就业形态劳动者十条措施，新建45个驿站。",
            "园区总工会还将每年安排专项资金，为新入会的新就业形态",
            "上海浦东：白领午间“充电”课堂受欢迎",
            "本报讯（记者王伟）每周三中午，浦东一栋写字楼的会议室里总是坐满了白领。",
            "楼宇工会负责人介绍，课堂开办两年，已累计举办240期。",
        )
    ).articles
    assert second.kicker == "" and second.title == "上海浦东：白领午间“充电”课堂受欢迎"
    assert paras(first)[-1] == "园区总工会还将每年安排专项资金，为新入会的新就业形态"
    assert first.needs_review  # its paragraph stops mid-sentence


def test_a_long_headline_line_with_clauses_over_its_own_story_stays_in_the_headline():
    # a headline line with clauses right after another story's text: it shares the words
    # of the story under it, so it heads that story
    first, second = parse_page(
        page(
            "某市总工会部署全年工作",
            "本报讯（记者李丹青）某市总工会近日召开全委会议，部署全年工作。",
            "企业3次变动联系人，但工会工作者始终耐心细致持续努力",
            "“工会没建起来，决不能放弃”",
            "本报记者 钱培坚",
            "企业联系人换了3位，工会工作者一次次登门，终于推动企业建起了工会。",
        )
    ).articles
    # (two headline lines with no dash: kicker + title and title + subtitle read alike)
    heads = [h for h in (second.kicker, second.title, second.subtitle) if h]
    assert heads == ["企业3次变动联系人，但工会工作者始终耐心细致持续努力", "“工会没建起来，决不能放弃”"]
    assert paras(first) == ["某市总工会近日召开全委会议，部署全年工作。"]


def test_the_cut_first_line_under_a_title_goes_on_in_the_text_below_it():
    # the second short line is no subtitle: the text under it plainly goes on with it (职工
    # across the break), so it is the first line of the first paragraph, cut
    a = only(
        page(
            "让产业工人在改革中有更多获得感",
            "我们推动全区规模以上企业普遍建立职",
            "工技能等级认定制度，搭建三级技能竞赛体系，每年参赛职工超过5万人次。",
        )
    )
    assert (a.title, a.subtitle) == ("让产业工人在改革中有更多获得感", "")
    assert paras(a) == [
        "我们推动全区规模以上企业普遍建立职工技能等级认定制度，搭建三级技能竞赛体系，每年参赛职工超过5万人次。"
    ]


def test_a_subtitle_over_the_first_paragraph_stays_a_subtitle():
    a = only(
        page(
            "“中国工人杯”全国职工读书知识竞赛复赛举行",
            "8支代表队进入全国总决赛",
            "近日，“中国工人杯”全国职工读书知识竞赛复赛在京举行。",
        )
    )
    assert (a.title, a.subtitle) == ("“中国工人杯”全国职工读书知识竞赛复赛举行", "8支代表队进入全国总决赛")


def test_a_short_line_under_a_much_longer_one_is_the_title_under_its_kicker():
    # no dash, no markdown: the short second line is the title, the long line over it the
    # kicker (or banner) — a subtitle explains its title at more length
    a = only(
        page(
            "各地工会贯彻落实全会精神",
            "凝心聚力建新功",
            "本报讯（记者李丹青）连日来，各地工会迅速掀起学习宣传贯彻全会精神的热潮。",
        )
    )
    assert (a.kicker, a.title, a.subtitle) == ("各地工会贯彻落实全会精神", "凝心聚力建新功", "")


def test_a_subtitle_a_little_shorter_than_its_title_stays_a_subtitle():
    a = only(
        page(
            "河北邢台市总为一线职工送去“清凉套餐”",
            "走访慰问企业310家",
            "本报讯（记者李丹青）连日来，河北省邢台市各级工会组织开展夏季“送清凉”活动。",
        )
    )
    assert (a.kicker, a.subtitle) == ("", "走访慰问企业310家")
    assert a.title == "河北邢台市总为一线职工送去“清凉套餐”"


# -- a headline over a jump line ----------------------------------------------------------------


def test_a_headline_over_a_jump_line_heads_the_text_it_leads():
    # the continued part of a story carries its headline again over (上接第1版); a headline
    # of the 是…的 form (…是怎样炼成的) is a whole statement, not a line cut after 的
    parsed = parse_page(
        page(
            "本报讯 日前，某市总工会为300名环卫工人送去防暑用品。",
            "大国工匠的“绝活”是怎样炼成的",
            "（上接第1版）",
            "为了练就“绣花”的本领，他每天下班后在车间多练两个小时。",
        )
    )
    first, second = parsed.articles
    assert "".join(paras(first)) == "日前，某市总工会为300名环卫工人送去防暑用品。"
    assert (second.title, second.continued_from_page) == ("大国工匠的“绝活”是怎样炼成的", 1)
    assert paras(second) == ["为了练就“绣花”的本领，他每天下班后在车间多练两个小时。"]


def test_a_headline_over_a_jump_line_after_an_open_paragraph_is_not_its_rest():
    parsed = parse_page(
        page(
            "本报讯 据了解，截至6月底，重庆已建立新就业形态",
            "大国工匠的“绝活”是怎样炼成的",
            "（上接第1版）",
            "为了练就“绣花”的本领，他每天下班后在车间多练两个小时。",
        )
    )
    titles = [a.title for a in parsed.articles]
    assert "大国工匠的“绝活”是怎样炼成的" in titles
    assert not any("炼成的" in p for a in parsed.articles for p in paras(a))


def test_a_line_with_clauses_over_a_jump_line_is_the_end_of_the_text_before_it():
    parsed = parse_page(
        page(
            "本报讯 春节过后，吉林省四平市总工会在火车站设立服务点，为返岗农民工提供就业信息。",
            "服务点还开设了招聘专区，邀请本地28家用工企业现场",
            "（上接第1版）",
            "各级工会把学习成果转化为服务职工的实际行动。",
        )
    )
    assert all(a.title == "" for a in parsed.articles)
    assert paras(parsed.articles[0])[-1].endswith("邀请本地28家用工企业现场")


def test_a_line_over_a_jump_line_that_stops_inside_a_word_is_cut_text():
    # 还推 + 动企业…: the rest of the word is printed further on
    parsed = parse_page(
        page(
            "本报讯 记者从芜湖市总工会了解到，该市今年推行技能等级认定“直通车”。",
            "芜湖市总工会还推",
            "（上接第1版）",
            "各级工会把学习成果转化为服务职工的实际行动。",
            "动企业将技能等级与薪酬待遇挂钩。",
        )
    )
    assert all(a.title != "芜湖市总工会还推" for a in parsed.articles)


def test_a_numeral_left_waiting_for_its_measure_word_is_no_kicker():
    # ……开展的一 (+ 项活动 elsewhere): a cut body line, not the kicker of the next headline
    parsed = parse_page(
        page(
            "本报讯 清晨，环卫工人排队领取热腾腾的包子和豆浆。",
            "这是包头市总工会联合爱心企业开展的一",
            "湖南株洲成立首个货车司机工会联合会",
            "新华社长沙8月12日电（记者彭佳宁）湖南省株洲市货车司机工会联合会12日成立。",
        )
    )
    second = parsed.articles[-1]
    assert (second.kicker, second.title) == ("", "湖南株洲成立首个货车司机工会联合会")
    assert any("开展的一" in p for a in parsed.articles for p in paras(a))


# -- a headline printed after the text of a story that has none ---------------------------------


def test_a_headline_after_a_signed_piece_heads_the_text_below_it():
    # a piece closed by its end-of-piece byline has ended: a headline after it is the next
    # story's, not its own printed late
    parsed = parse_page(
        page(
            "本报讯 近日，广东省江门市蓬江区总工会在辖区工业园区举办“职工夜市”，吸引2000余名职工参与。"
            "（梁伟强）",
            "【工会博览】",
            "成都上线职工婚恋交友平台",
            "四川省成都市总工会近日上线“蓉城鹊桥”职工婚恋交友平台，单身职工经实名认证后即可注册。",
        )
    )
    first, second = parsed.articles
    assert (first.title, [c.name for c in first.bylines]) == ("", ["梁伟强"])
    assert (second.column, second.title) == ("工会博览", "成都上线职工婚恋交友平台")
    assert paras(second)[0].startswith("四川省成都市总工会")


def test_a_headline_given_to_a_story_across_another_storys_text_is_flagged():
    # the story waiting for its headline is not the one being read: the headline may be its
    # own printed late, or a subhead of the text between — a guess, so it is flagged
    parsed = parse_page(
        page(
            "本报讯 近日，某市总工会为300名环卫工人送去防暑用品，并组织医疗志愿者开展义诊。",
            "（上接第1版）",
            "各级工会把学习成果转化为服务职工的实际行动，推动一批职工急难愁盼问题得到解决。",
            "扫码入会 随时可办",
            "多地工会开通线上入会通道，劳动者在手机上填写基本信息即可申请入会。",
        )
    )
    headed = [a for a in parsed.articles if a.title == "扫码入会 随时可办"]
    assert all(a.needs_review for a in headed)
    first = parsed.articles[0]
    assert first.title == "" or first.needs_review


# -- a headline printed after its story's text ------------------------------------------------

XINHUA = (
    "新华社北京11月25日电（记者王小明）全总日前印发通知，要求各级工会做好困难职工帮扶工作。",
    "通知要求，各级工会要深入开展调查摸底，确保困难职工温暖过冬。",
)
OTHER = (
    "工会开展送温暖活动",
    "本报讯（记者李丹青）近日，某市总工会开展送温暖活动，走访慰问困难职工200户。",
)


def test_a_headline_after_its_storys_text_at_the_end_of_the_page_heads_that_story():
    # the story opened with its dateline and no headline; the line after its last paragraph,
    # with nothing after it, is that headline, not a paragraph left unfinished
    first, second = parse_page(page(*OTHER, *XINHUA, "全总部署做好困难职工帮扶工作")).articles
    assert first.title == "工会开展送温暖活动"
    assert second.title == "全总部署做好困难职工帮扶工作"
    assert paras(second) == [XINHUA[0].split("）", 1)[1], XINHUA[1]]
    assert not second.needs_review, second.warnings


def test_a_headline_after_its_storys_text_before_another_headline_goes_by_its_words():
    # between a headless story's end and another story's headline: it shares its words with
    # the story above (困难职工帮扶工作), the next headline with the story below; a guess, so
    # both are flagged
    first, second = parse_page(page(*XINHUA, "全总部署做好困难职工帮扶工作", *OTHER)).articles
    assert (first.kicker, first.title) == ("", "全总部署做好困难职工帮扶工作")
    assert (second.title, second.subtitle) == ("工会开展送温暖活动", "")
    assert first.needs_review and second.needs_review


def test_a_headline_group_after_a_headed_story_stays_with_the_story_below():
    # the story above has its headline: the two lines are the next story's kicker and title
    # however many words they share with it
    a, b = parse_page(
        page(
            "全总部署困难职工帮扶工作",
            *XINHUA,
            "困难职工帮扶工作见实效",
            "某市工会开展送温暖活动",
            OTHER[1],
        )
    ).articles
    assert (a.kicker, a.title, a.subtitle) == ("", "全总部署困难职工帮扶工作", "")
    assert {b.kicker, b.title, b.subtitle} - {""} == {"困难职工帮扶工作见实效", "某市工会开展送温暖活动"}


def test_a_cut_line_with_clauses_at_the_end_of_a_headless_story_is_not_its_headline():
    _first, second = parse_page(
        page(*OTHER, *XINHUA, "同时，各级工会还将开展送温暖活动，对困难职工给予一次")
    ).articles
    assert second.title == ""
    assert paras(second)[-1] == "同时，各级工会还将开展送温暖活动，对困难职工给予一次"


# -- cut body lines that no headline line could be ---------------------------------------------


def test_a_line_of_several_clauses_over_a_headline_is_the_rest_of_the_paragraph_above():
    # a brief with no dateline of its own under a story's cut paragraph: the line of two
    # clauses is that paragraph's, not the title over the brief's headline
    parsed = parse_page(
        page(
            "本报讯（记者吴海涛）记者日前从辽宁省",
            "总工会获悉，今年“金秋助学”活动已全面启动，全省各级工会计划资助困难职工子女和农民工",
            "新疆哈密：劳模工匠进校园",
            "本报讯 近日，新疆维吾尔自治区哈密市总工会组织10名劳动模范走进哈密职业技术学校。",
        )
    )
    titles = [(a.kicker, a.title, a.subtitle) for a in parsed.articles]
    assert ("", "新疆哈密：劳模工匠进校园", "") in titles
    assert any("金秋助学" in p for a in parsed.articles for p in paras(a))


def test_a_kicker_of_several_clauses_leading_into_its_title_stays_a_kicker():
    a = only(
        page(
            "企业3次变动联系人，工会工作者反复上门，始终耐心细致——",
            "“工会没建起来，决不能放弃”",
            "本报讯（记者李丹青）日前，记者走访了一家新建工会的民营企业。",
        )
    )
    assert (a.kicker, a.title) == (
        "企业3次变动联系人，工会工作者反复上门，始终耐心细致",
        "“工会没建起来，决不能放弃”",
    )


def test_a_short_line_closing_a_quotation_it_never_opened_is_cut_text():
    parsed = parse_page(
        page(
            "本报讯 为了练就在方寸之间“",
            "绣花”的本领，他每天下班后在车间多练两个",
            "江西九江推行“工会驿站+技能培训”",
            "本报讯 近日，江西省九江市总工会在工业园区建起12个工会驿站。",
        )
    )
    titles = [(a.kicker, a.title) for a in parsed.articles]
    assert ("", "江西九江推行“工会驿站+技能培训”") in titles


def test_a_short_line_the_text_after_only_finishes_is_cut_text_not_a_subhead():
    # 2100多名。 opens no paragraph: it ends the sentence of the line before it
    a = only(
        page(
            "倾听是最好的服务",
            "本报讯 前年，一家纺织企业的几名女职工找到我，说孩子放暑假没人照看。",
            "全区开办职工子女托管班42个，托管孩子",
            "2100多名。",
        )
    )
    assert subheads(a) == []
    assert paras(a)[-1].endswith("托管孩子2100多名。")


def test_a_short_phrase_over_a_much_longer_headline_is_its_banner_or_kicker():
    # no dash, no markdown: a short phrase over a long statement is the banner (or kicker)
    # over the title, not a title over its subtitle
    a = only(
        page(
            "工会在行动",
            "各地工会开展职工冬季运动会",
            "本报讯（记者赵丽）1月6日，内蒙古自治区第三届职工冰雪运动会在呼伦贝尔开幕。",
        )
    )
    assert (a.kicker, a.title, a.subtitle) == ("工会在行动", "各地工会开展职工冬季运动会", "")


def test_a_short_title_over_a_long_subtitle_of_clauses_stays_title_and_subtitle():
    a = only(
        page(
            "北江洪峰过境英德",
            "市总组织干部职工积极参与抗洪，保障群众生命安全",
            "本报讯（记者李丹青）连日来，广东英德市总工会组织干部职工参与抗洪。",
        )
    )
    assert (a.kicker, a.title, a.subtitle) == (
        "",
        "北江洪峰过境英德",
        "市总组织干部职工积极参与抗洪，保障群众生命安全",
    )


def test_a_line_ending_with_a_clause_of_a_word_or_two_is_no_kicker():
    # …施工现场，气温 (+ 已超过38摄氏度 elsewhere): a headline's clause is a whole phrase
    parsed = parse_page(
        page(
            "本报讯 连日来，河北省邢台市各级工会组织开展夏季“送清凉”活动。",
            "在邢台经济开发区一处高架桥施工现场，气温",
            "福建三明推进产业工人队伍建设改革",
            "本报讯（记者李丹青）近日，福建省三明市总工会召开产业工人队伍建设改革推进会。",
        )
    )
    last = parsed.articles[-1]
    assert (last.kicker, last.title) == ("", "福建三明推进产业工人队伍建设改革")
    assert any(p.endswith("施工现场，气温") for a in parsed.articles for p in paras(a))


def test_a_brief_left_open_over_an_advertisement_keeps_its_box_open():
    parsed = parse_page(
        page(
            "信息快递",
            "兰州举办职工厨艺大赛",
            "本报讯 甘肃省兰州市总工会日前举办职工厨艺大赛，比赛",
            "广告",
            "设中式烹调、中式面点两个项目。",
            "南宁为快递小哥送上冬衣",
            "本报讯 广西壮族自治区南宁市总工会近日为全市1200名快递员送上防寒冬衣。",
        )
    )
    assert [(a.column, a.title) for a in parsed.articles] == [
        ("信息快递", "兰州举办职工厨艺大赛"),
        ("信息快递", "南宁为快递小哥送上冬衣"),
    ]


def test_a_subtitle_ending_with_a_quantity_is_whole():
    # 覆盖职工4.6万人: a number with its unit closes the phrase, the line is no cut body line
    a = only(
        page(
            "河北邢台市总为一线职工送去“清凉套餐”",
            "今年夏季共走访慰问企业310家，覆盖职工4.6万人",
            "本报讯（记者周丽霞）连日来，河北省邢台市各级工会组织开展夏季“送清凉”活动。",
        )
    )
    assert (a.title, a.subtitle) == (
        "河北邢台市总为一线职工送去“清凉套餐”",
        "今年夏季共走访慰问企业310家，覆盖职工4.6万人",
    )


def test_text_under_a_banner_with_no_headline_is_a_piece_of_the_box_not_of_the_story_above():
    story = "本报讯（记者柳岩）吉林省总工会日前召开会议，部署“两节”期间帮扶工作。"
    brief = "近日，某市总工会举办职工书法作品展，展出作品200余幅。（王芳）"
    first, second = parse_page(page("各地工会送温暖活动有声有色", story, "简讯", brief)).articles
    assert paras(first) == [story.split("）", 1)[1]]
    assert second.column == "简讯"
    assert paras(second) == [brief.removesuffix("（王芳）")]
    assert second.needs_review  # its headline was not found


def test_a_piece_of_another_column_inside_an_open_brief_does_not_end_the_box():
    # the box's brief is cut mid-sentence when the other column's piece begins: the box goes
    # on after that piece (the two are interleaved), its next brief is still one of it
    parsed = parse_page(
        page(
            "简讯",
            "昆明为户外劳动者送去防晒用品",
            "本报讯 云南省昆明市总工会近日为全市环卫工人送去遮阳帽、防晒袖套和清凉",
            "【工会博览】",
            "青岛职工技能培训实行“点单制”",
            "山东省青岛市总工会今年推行职工技能培训“点单制”，由企业根据生产需要提出培训需求。",
            "呼和浩特举办职工书法展",
            "本报讯 内蒙古自治区呼和浩特市首届职工书法作品展日前在市工人文化宫开展。",
        )
    )
    columns = {a.title: a.column for a in parsed.articles}
    assert columns["昆明为户外劳动者送去防晒用品"] == "简讯"
    assert columns["青岛职工技能培训实行“点单制”"] == "工会博览"
    assert columns["呼和浩特举办职工书法展"] == "简讯"
