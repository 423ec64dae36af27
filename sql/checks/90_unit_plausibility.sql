-- grain: one row per fact outside the plausible range for what it measures in its unit
--
-- ref_unit_bounds gives, per kind of thing (a regex on the counted phrase or on the words right
-- before the figure, optionally also on the fact's place), per unit (alternatives split by |) and kind, the least and the most a figure
-- can plausibly be. 村域面积5.6平方米 is a village in square metres where square kilometres were
-- meant; 人均纯收入2.3元 has lost its 万. Approximate figures are read at their most favourable,
-- and a figure that holds for each of something (每亩, 每户: per is set) is left alone.
with bounded as (
    select *
    from v_fact_bounds
    where coalesce(value, value_low, value_high) is not null and per is null
),

described as (
    -- the words right before the figure, without a linking verb: 该村总面积 in 该村总面积为4.2平方米,
    -- for when the counted phrase lost its determiner or place
    select *,
        regexp_replace(
            regexp_extract(left(sentence, sentence_offset), '[^,，;；:：。]*$'),
            '(达到|达|约为|为|是|有|共有|共计|已经|已|增至|提高到|提升至|提高至|降至|下降到|仅|只有)+$', '') as lead
    from bounded
),

bounds as (
    -- one row per unit a bound names (平方公里|平方千米 is two)
    select *, unnest(string_split(unit, '|')) as one_unit
    from ref_unit_bounds
),

by_unit as (
    select f.article_id, f.fact_id, f.surface, f.unit, f.counted, f.lead, f.place, f.sentence, f.lo, f.hi,
        r.pattern, r.place_pattern, r.min_value, r.max_value, r.note
    from described as f
    join bounds as r on f.unit = r.one_unit and (r.kind is null or f.kind = r.kind)
    where hi < min_value or lo > max_value
),

matched as (
    select *
    from by_unit
    where (pattern is null or regexp_matches(coalesce(counted, ''), pattern) or regexp_matches(lead, pattern))
        and (place_pattern is null or regexp_matches(coalesce(place, ''), place_pattern))
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
            coalesce(case when min_value = floor(min_value) then printf('%d', min_value::bigint) else printf('%g', min_value) end, '…'),
            coalesce(case when max_value = floor(max_value) then printf('%d', max_value::bigint) else printf('%g', max_value) end, '…'),
            unit,
            note, sentence) as message
    from offending
    where first = 1
)

select * from final
