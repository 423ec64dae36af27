-- grain: one row per pair of articles that state different exact values for the same thing, place and year
--
-- Two articles may both report 2023年 村集体经济收入 of one village; they should agree. Only
-- exact figures (no 多/近/约) of a named place and year, counted by the same phrase of at least
-- two characters, are compared, and only stocks: a figure stated as a change (新增, 新发展,
-- 增加 ...) is one of many flows and may differ. A warning: two articles may mean different
-- parts of the same thing.
with comparable as (
    select *,
        regexp_extract(left(sentence, greatest(source_start - sentence_start, 0)), '[^,，;；:：]*$') as lead
    from facts
    where counted is not null and length(counted) >= 2 and place is not null and year is not null
        and approx is null and value is not null and not coalesce(in_title, false) and per is null
),

stocks as (
    select *
    from comparable
    where not regexp_matches(lead || counted, '新增|新建|新发展|新成立|新组建|增加|减少|增长|下降|提高|提升|净增|增收')
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
