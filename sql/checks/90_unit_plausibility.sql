-- grain: one row per fact outside the plausible range for what it measures in its unit
--
-- ref_unit_bounds gives, per kind of thing (a regex on the counted phrase, optionally on the
-- fact's place), per unit (a regex matched in full) and kind, the least and the most a figure
-- can plausibly be. 村域面积5.6平方米 is a village in square metres where square kilometres were
-- meant; 人均纯收入2.3元 has lost its 万. Approximate figures are read at their most favourable,
-- and a figure that holds for each of something (每亩, 每户: per is set) is left alone.
with bounded as (
    select *,
        case approx
            when 'range' then value_low
            when 'nearly' then 0.8 * value
            when 'about' then 0.8 * value
            when 'less_than' then 0
            else value
        end as lo,
        case approx
            when 'range' then value_high
            when 'more_than' then coalesce(value_high, 'infinity'::double)
            when 'at_least' then 'infinity'::double
            when 'about' then 1.2 * value
            else value
        end as hi
    from facts
    where coalesce(value, value_low, value_high) is not null and per is null
),

matched as (
    select f.article_id, f.fact_id, f.surface, f.unit, f.counted, f.sentence, f.lo, f.hi,
        r.min_value, r.max_value, r.note
    from bounded as f
    join ref_unit_bounds as r
        on regexp_full_match(f.unit, r.unit)
        and (r.kind is null or f.kind = r.kind)
        and (r.pattern is null or regexp_matches(coalesce(f.counted, ''), r.pattern))
        and (r.place_pattern is null or regexp_matches(coalesce(f.place, ''), r.place_pattern))
    where f.unit is not null
),

offending as (
    select *, row_number() over (partition by fact_id order by min_value, max_value) as first
    from matched
    where hi < min_value or lo > max_value
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s for %s is %s the plausible range %s–%s %s: %s. Sentence: 「%s」',
            surface, coalesce(counted, '?'), case when hi < min_value then 'below' else 'above' end,
            coalesce(printf('%g', min_value), '…'), coalesce(printf('%g', max_value), '…'), unit,
            note, sentence) as message
    from offending
    where first = 1
)

select * from final
