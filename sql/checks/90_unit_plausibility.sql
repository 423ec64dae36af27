-- grain: one row per fact outside the plausible range for what it measures in its unit
with bounded as (
    select f.*, r.min_value, r.max_value, r.note
    from facts as f
    join ref_unit_bounds as r
        on f.unit = r.unit and (r.kind is null or f.kind = r.kind)
        and (r.pattern is null or regexp_matches(coalesce(f.counted, ''), r.pattern))
    where f.value is not null
),

final as (
    select distinct
        article_id,
        [fact_id] as fact_ids,
        printf('%s (%g %s of %s) lies outside %s–%s: %s. Sentence: 「%s」',
            surface, value, unit, coalesce(counted, '?'), coalesce(cast(min_value as varchar), '…'),
            coalesce(cast(max_value as varchar), '…'), note, sentence) as message
    from bounded
    where value < min_value or value > max_value
)

select * from final
