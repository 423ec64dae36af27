-- grain: one row per fact outside the plausible range for what it measures in its unit
--
-- ref_unit_bounds gives, per kind of thing (a regex on the counted phrase or on the words right
-- before the figure, optionally also on the fact's place), per unit (alternatives split by |) and kind, the least and the most a figure
-- can plausibly be. 村域面积5.6平方米 is a village in square metres where square kilometres were
-- meant; 人均纯收入2.3元 has lost its 万. Approximate figures are read at their most favourable,
-- and a figure that holds for each of something (每亩, 每户: per is set) is left alone, as are
-- figures that are no level: a change or a difference (比2020年提高1.3岁, 高出1.8岁) and a sum
-- over a period (累计, 以来: 优良天数共计1320天).
with bounded as (
    select *
    from v_fact_bounds
    where coalesce(value, value_low, value_high) is not null and per is null
),

bounds as (
    -- one row per unit a bound names (平方公里|平方千米 is two)
    select *, unnest(string_split(unit, '|')) as one_unit
    from ref_unit_bounds
),

outside as (
    -- the figures outside some bound of their unit, before the words are read: the regexes
    -- below then run on these rows only
    select f.article_id, f.fact_id, f.surface, f.unit, f.counted, f.place, f.sentence, f.sentence_offset, f.lo, f.hi,
        f.prefix, f.kind,
        r.pattern, r.place_pattern, r.min_value, r.max_value, r.note
    from bounded as f
    join bounds as r on f.unit = r.one_unit and (r.kind is null or f.kind = r.kind)
    where hi < min_value or lo > max_value
),

by_unit as (
    -- the words right before the figure, without a linking verb: 该村总面积 in 该村总面积为4.2平方米,
    -- for when the counted phrase lost its determiner or place
    select *,
        regexp_replace(
            regexp_extract(left(sentence, sentence_offset), '[^,，;；:：。]*$'),
            '(达到|达|约为|为|是|有|共有|共计|已经|已|增至|提高到|提升至|提高至|降至|下降到|仅|只有)+$', '') as lead
    from outside
    where not regexp_matches(prefix, '(增加|减少|增长|下降|提高|降低|延长|缩短|高出|低出|多出|少出|年轻|[年期](多|少))了?$')
        -- a sum over a period: only counts and lengths of time add up (a rate of 105% is no sum)
        and not (kind in ('count', 'duration') and regexp_matches(
            regexp_extract(left(sentence, sentence_offset), '[^,，;；:：。]*$'), '累计|共计|合计|总计|以来|期间|新增|净增'))
),

-- A pattern that is not a constant is compiled again for every row it meets (some 100 µs in
-- DuckDB 2.0). Inside a lambda the row's pattern is a constant: so the distinct phrases are
-- gathered per pattern and each pattern is compiled once.
phrase_fits as (
    select pattern, unnest(list_filter(phrases, lambda p: regexp_matches(p, pattern))) as phrase
    from (
        select pattern, list(distinct phrase) as phrases
        from (
            select coalesce(counted, '') as phrase, pattern from by_unit where pattern is not null
            union all
            select lead, pattern from by_unit where pattern is not null
        )
        group by pattern
    )
),

place_fits as (
    select place_pattern, unnest(list_filter(places, lambda p: regexp_matches(p, place_pattern))) as place
    from (
        select place_pattern, list(distinct coalesce(place, '')) as places
        from by_unit
        where place_pattern is not null
        group by place_pattern
    )
),

matched as (
    select *
    from by_unit as b
    where (b.pattern is null or exists (
            select 1 from phrase_fits as f
            where f.pattern = b.pattern and (f.phrase = coalesce(b.counted, '') or f.phrase = b.lead)))
        and (b.place_pattern is null or exists (
            select 1 from place_fits as g
            where g.place_pattern = b.place_pattern and g.place = coalesce(b.place, '')))
),

offending as (
    -- one row per fact, quoting the bound of its own thing before a bound of any (年龄 before 岁)
    select *, row_number() over (partition by fact_id order by pattern is null, min_value, max_value) as first
    from matched
    where hi < min_value or lo > max_value
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s for %s is %s the plausible range %s–%s %s: %s. Sentence: 「%s」',
            surface, coalesce(counted, nullif(lead, ''), '?'), case when hi < min_value then 'below' else 'above' end,
            coalesce(case when min_value = floor(min_value) then printf('%d', min_value::bigint) else printf('%g', min_value) end, '…'),
            coalesce(case when max_value = floor(max_value) then printf('%d', max_value::bigint) else printf('%g', max_value) end, '…'),
            unit,
            note, sentence) as message
    from offending
    where first = 1
)

select * from final
