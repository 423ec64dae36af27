-- grain: one row per average (户均增收8600元, 人均地区生产总值6万元) that no total and count
-- stated before it in its sentence make
--
-- 带动1.3万户农户增收1.12亿元,户均增收8600元: the average is what it averages (增收) over
-- households (户均) or people (人均); the total is a figure of the same unit before it in its
-- sentence whose phrase holds that noun (农户增收), the count a figure of households or people
-- before it. The average fails when no such total and count make it, by more than 5% after
-- rounding every value to its written digits; approximate values are read at their most
-- favourable.
with averages as (
    select *, left(counted, 1) as per_what, substr(counted, 3) as noun
    from v_fact_bounds
    -- a cheap test before the regex
    where (starts_with(counted, '户均') or starts_with(counted, '人均')) and length(counted) >= 4
        and kind in ('money', 'measure', 'count') and coalesce(value, value_low, value_high) is not null
        and not coalesce(in_title, false)
),

figures as (
    -- the figures of the sentences with such an average
    select *,
        unit_class(unit) as unit_class,
        sentence_offset + length(surface) as end_offset,
        -- the words of the figure's clause before it
        regexp_extract(left(sentence, sentence_offset), '[^,，;；:：]*$') as lead
    from v_fact_readings
    where sentence_start in (select sentence_start from averages)
        and article_id in (select article_id from averages)
        and coalesce(value, value_low, value_high) is not null and per is null
),

pairs as (
    select a.article_id, a.fact_id as average_id, a.surface as average_surface, a.lo as average_lo,
        a.hi as average_hi, r.half_step as average_step, a.sentence,
        t.fact_id as total_id, t.surface as total_surface, t.lo as total_lo, t.hi as total_hi,
        t.half_step as total_step,
        n.fact_id as count_id, n.surface as count_surface, n.lo as count_lo, n.hi as count_hi,
        n.half_step as count_step
    from averages as a
    join figures as r on r.fact_id = a.fact_id
    join figures as t
        on t.article_id = a.article_id and t.sentence_start = a.sentence_start
        and t.end_offset <= a.sentence_offset and t.unit = a.unit and t.kind = a.kind
        and contains(t.counted, a.noun) and not regexp_matches(t.counted, '^(户|人|亩)均')
    join figures as n
        on n.article_id = a.article_id and n.sentence_start = a.sentence_start
        and n.end_offset <= a.sentence_offset and n.kind = 'count'
        and ((a.per_what = '户' and n.unit = '户') or (a.per_what = '人' and n.unit_class = '人'))
        -- the count is of whom the total is: a total that names its households or people
        -- (周边农户增收) is not over another count (个体工商户320户)
        and (not regexp_matches(coalesce(t.counted, ''), '户|民|人|员|群众|劳动力')
            or (coalesce(n.counted, '') <> '' and contains(t.counted, n.counted)))
        -- and the nearest such count to the total: no other stands between them (全村有劳动力620人,
        -- 外出务工劳动力480人,实现务工收入1440万元)
        and not exists (
            select 1 from figures as m
            where m.article_id = n.article_id and m.sentence_start = n.sentence_start and m.kind = 'count'
                and m.unit_class = n.unit_class and m.fact_id <> n.fact_id
                and m.sentence_offset between least(n.sentence_offset, t.sentence_offset)
                                          and greatest(n.sentence_offset, t.sentence_offset))
    -- an average over a whole place (全村户均收入) is over its every household or person: not
    -- over a count of some of them (该村156户农户通过外出务工), only over one stated of the place
    where not regexp_matches(r.lead, '全[省市县区镇乡村州]')
        or regexp_matches(n.lead, '^\s*(全[省市县区镇乡村州]|共有|总|有)')
),

judged as (
    select *,
        greatest(total_lo - total_step, 0) / (count_hi + count_step) as made_low,
        case when count_lo - count_step > 0 then (total_hi + total_step) / (count_lo - count_step)
             else 'infinity'::double end as made_high
    from pairs
    where total_hi > 0 and count_hi > 0
),

offending as (
    select *
    from judged
    qualify bool_and(made_high * 1.05 < average_lo - average_step or made_low * 0.95 > average_hi + average_step)
            over (partition by average_id)
        and row_number() over (partition by average_id order by total_id, count_id) = 1
)

select
    article_id,
    [total_id, count_id, average_id] as fact_ids,
    printf('%s over %s makes %s, not %s. Sentence: 「%s」',
        total_surface, count_surface,
        case when made_high - made_low < 0.01 * made_low
             then printf(case when made_low >= 1000 then '%.0f' else '%.4g' end, made_low)
             else printf(case when made_low >= 1000 then '%.0f to %.0f' else '%.4g to %.4g' end,
                         made_low, least(made_high, 1e15)) end,
        average_surface, sentence) as message
from offending
