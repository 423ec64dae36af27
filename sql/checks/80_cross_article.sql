-- grain: one row per fact that gives, for the same thing, place and year, a value other than
-- the one most articles give
--
-- Two articles may both report 2023年 村集体经济收入 of one village; they should agree. Only
-- exact figures (no 多/近/约) of a named place and year, counted by the same phrase of at least
-- three characters, are compared, and only stocks: a figure stated as a change (新增, 增加 ...)
-- or as the amount of an activity (流转土地1200亩, 培训600人次) is one of many and may differ. A warning: two articles may mean different
-- parts of the same thing.
--
-- Each figure is held against its group's most stated value: the value the most articles give
-- (of equals, the one an earlier article id gives). A figure more than 0.5 % from it gets a row,
-- paired with a fact of another article that differs from it, one that states that value where
-- any does. So there is at most one row per fact, where a row per disagreeing pair of articles
-- grew with the square of the articles about one place (362,091 rows at 100,000 generated
-- articles that reuse a few hundred villages). Figures within 0.5 % of the most stated value
-- agree with it, even when two of them are further apart than that.
with dated as (
    select * exclude (counted),
        -- 去年集体经济收入 and 集体经济收入 of the same year are one thing
        regexp_replace(counted, '^(去年|今年|前年|当年|上年|本年|全年|年底|年末|目前|如今)+', '') as counted,
        regexp_extract(left(sentence, sentence_offset), '[^,，;；:：]*$') as lead
    from facts
    where counted is not null and length(counted) >= 2 and place is not null and year is not null
        and approx is null and value is not null and not coalesce(in_title, false) and per is null
        -- a part of the year (上半年, 一季度, 1-9月, 前5个月) is not the year it lies in
        and not regexp_matches(left(sentence, sentence_offset),
            '季度|上半年|下半年|前[一二三四五六七八九十\d]+个?月|\d+\s*[-—–~至]\s*\d+月|[一二三四五六七八九十]+至[一二三四五六七八九十]+月')
),

comparable as (
    -- phrases in the words of the synonyms table: 经济总量 and 地区生产总值 are one thing
    select * replace (synonym_of(counted) as counted)
    from dated
),

stocks as (
    select *
    from comparable
    where length(counted) >= 3
        -- a figure that is the amount of an activity (流转土地1200亩, 培训600人次) is one of many
        -- (生产总值 and 增加值 are outputs, not the activities 生产 and 增加)
        and not regexp_matches(replace(replace(lead || counted, '生产总值', ''), '增加值', ''),
            '新增|新建|新发展|新成立|新组建|增加|减少|增长|下降|提高|提升|净增|增收|流转|种植|栽种|整治|复垦|开垦|改造|建设|建成|修建|新修|硬化|铺设|发展|完成|实施|投入|投资|带动|帮助|培训|开展|举办|接待|服务|销售|收购|生产|发放|解决|办理|排查|化解|走访|慰问|吸纳|引进|招聘|安置|转移|签约|落地|开工|竣工|申报|争取|筹集|拨付|兑现|收集|受理|清理|导入|上线|结对|包联|选派|组织|参与|参加')
),

grouped as (
    -- the figures of groups that more than one article speaks of
    select *
    from stocks
    qualify count(distinct article_id) over (partition by counted, place, year, unit, kind) > 1
),

stated as (
    -- each value of a group, with how many articles state it
    select counted, place, year, unit, kind, value, count(distinct article_id) as articles,
        min(article_id) as first_article
    from grouped
    group by all
),

modal as (
    select counted, place, year, unit, kind, value as modal_value
    from stated
    qualify row_number() over (
        partition by counted, place, year, unit, kind order by articles desc, first_article, value) = 1
),

disagreeing as (
    select f.*, m.modal_value
    from grouped as f
    join modal as m
        on f.counted = m.counted and f.place = m.place and f.year = m.year
        and f.unit is not distinct from m.unit and f.kind = m.kind
    where abs(f.value - m.modal_value) > 0.005 * greatest(abs(f.value), abs(m.modal_value))
),

pairs as (
    -- a fact of another article that differs from the figure: one stating the group's value if any does
    select d.article_id, d.fact_id as odd_id, r.fact_id as other_id, d.counted, d.place, d.year, d.unit, d.kind,
        d.surface as odd_surface, r.surface as other_surface, r.value as other_value,
        d.sentence as odd_sentence, r.sentence as other_sentence
    from disagreeing as d
    join grouped as r
        on r.counted = d.counted and r.place = d.place and r.year = d.year
        and r.unit is not distinct from d.unit and r.kind = d.kind
        and r.article_id <> d.article_id
        and abs(r.value - d.value) > 0.005 * greatest(abs(r.value), abs(d.value))
    qualify row_number() over (
        partition by d.fact_id order by (r.value = d.modal_value) desc, r.article_id, r.source_start, r.fact_id) = 1
),

told as (
    -- how many other articles give the value the figure is paired with
    select p.*, count(distinct g.article_id) as others
    from pairs as p
    join grouped as g
        on g.counted = p.counted and g.place = p.place and g.year = p.year
        and g.unit is not distinct from p.unit and g.kind = p.kind
        and g.value = p.other_value and g.article_id <> p.article_id
    group by all
),

final as (
    select
        article_id,
        [odd_id, other_id] as fact_ids,
        printf('%s of %s in %d is %s here and %s in %d other %s. Sentences: 「%s」 「%s」',
            counted, place, year, odd_surface, other_surface, others,
            case when others = 1 then 'article' else 'articles' end,
            odd_sentence, other_sentence) as message
    from told
)

select * from final
