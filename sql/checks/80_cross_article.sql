-- grain: one row per fact that states, for the same thing, place and year, another value than
-- the one most articles state
--
-- Two articles may both report 2023年 村集体经济收入 of one village; they should agree. Only
-- exact figures (no 多/近/约) of a named place and year, counted by the same phrase of at least
-- three characters, are compared, and only stocks: a figure stated as a change (新增, 增加 ...)
-- or as the amount of an activity (流转土地1200亩, 培训600人次) is one of many and may differ. A warning: two articles may mean different
-- parts of the same thing.
--
-- Each figure is held against its group's most stated value (the value the most articles give;
-- of equals, the one an earlier article id gives): one that differs from it by more than 0.5 %
-- gets a row, paired with a fact of another article that states it. A group of n articles gives
-- at most n - 1 rows, where a row per disagreeing pair of articles grew with n squared (374,393
-- rows at 100,000 generated articles that reuse a few hundred villages).
with comparable as (
    select * exclude (counted),
        -- 去年集体经济收入 and 集体经济收入 of the same year are one thing
        regexp_replace(counted, '^(去年|今年|前年|当年|上年|本年|全年|年底|年末|目前|如今)+', '') as counted,
        regexp_extract(left(sentence, sentence_offset), '[^,，;；:：]*$') as lead
    from facts
    where counted is not null and length(counted) >= 2 and place is not null and year is not null
        and approx is null and value is not null and not coalesce(in_title, false) and per is null
),

stocks as (
    select *
    from comparable
    where length(counted) >= 3
        -- a figure that is the amount of an activity (流转土地1200亩, 培训600人次) is one of many
        and not regexp_matches(lead || counted,
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
    select counted, place, year, unit, kind, value as modal_value, articles as modal_articles
    from stated
    qualify row_number() over (
        partition by counted, place, year, unit, kind order by articles desc, first_article, value) = 1
),

disagreeing as (
    select f.*, m.modal_value, m.modal_articles
    from grouped as f
    join modal as m
        on f.counted = m.counted and f.place = m.place and f.year = m.year
        and f.unit is not distinct from m.unit and f.kind = m.kind
    where abs(f.value - m.modal_value) > 0.005 * greatest(abs(f.value), abs(m.modal_value))
),

pairs as (
    -- the first fact of another article that states the group's value
    select d.article_id, r.fact_id as a_id, d.fact_id as b_id, d.counted, d.place, d.year,
        r.surface as a_surface, d.surface as b_surface, r.sentence as a_sentence, d.sentence as b_sentence,
        d.modal_articles
    from disagreeing as d
    join grouped as r
        on r.counted = d.counted and r.place = d.place and r.year = d.year
        and r.unit is not distinct from d.unit and r.kind = d.kind
        and r.value = d.modal_value and r.article_id <> d.article_id
    qualify row_number() over (partition by d.fact_id order by r.article_id, r.source_start) = 1
),

final as (
    select
        article_id,
        [a_id, b_id] as fact_ids,
        printf('%s of %s in %d is %s here and %s in another article (%d %s). Sentences: 「%s」 「%s」',
            counted, place, year, b_surface, a_surface, modal_articles,
            case when modal_articles = 1 then 'article says so' else 'articles say so' end,
            b_sentence, a_sentence) as message
    from pairs
)

select * from final
