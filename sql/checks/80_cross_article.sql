-- grain: one row per pair of articles that state different exact values for the same thing, place and year
--
-- Two articles may both report 2023年 村集体经济收入 of one village; they should agree. Only
-- exact figures (no 多/近/约) of a named place and year, counted by the same phrase of at least
-- three characters, are compared, and only stocks: a figure stated as a change (新增, 增加 ...)
-- or as the amount of an activity (流转土地1200亩, 培训600人次) is one of many and may differ. A warning: two articles may mean different
-- parts of the same thing.
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

pairs as (
    select a.article_id, a.fact_id as a_id, b.fact_id as b_id, a.counted, a.place, a.year,
        a.surface as a_surface, b.surface as b_surface, a.sentence as a_sentence, b.sentence as b_sentence
    from stocks as a
    join stocks as b
        on a.counted = b.counted and a.place = b.place and a.year = b.year and a.unit is not distinct from b.unit
        and a.kind = b.kind and a.article_id < b.article_id
    where abs(a.value - b.value) > 0.005 * greatest(abs(a.value), abs(b.value))
),

final as (
    select
        article_id,
        [a_id, b_id] as fact_ids,
        printf('%s of %s in %d is %s in one article and %s in another. Sentences: 「%s」 「%s」',
            counted, place, year, a_surface, b_surface, a_sentence, b_sentence) as message
    from pairs
)

select * from final
