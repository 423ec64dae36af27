-- grain: one row per "N年来" that, counted from the year named before it, passes the publication date
with durations as (
    select f.*, a.published_date
    from facts as f
    join articles as a using (article_id)
    where f.kind = 'duration' and f.unit = '年' and f.value is not null
        and regexp_matches(f.suffix, '^(来|以来|间|过去)') and a.published_date is not null
),

anchors as (
    select d.fact_id, y.year as anchor_year, y.surface as anchor_surface,
        row_number() over (partition by d.fact_id order by y.source_start desc) as nearest
    from durations as d
    join dates as y
        on y.article_id = d.article_id and y.source_start < d.source_start and not coalesce(y.base, false)
        and regexp_matches(y.surface, '^\d{4}年') and y.year is not null
),

final as (
    select
        d.article_id,
        [d.fact_id] as fact_ids,
        printf('%s counted from %s reaches %d, after the publication year %d. Sentence: 「%s」',
            d.surface, a.anchor_surface, a.anchor_year + cast(d.value as integer), year(d.published_date),
            d.sentence) as message
    from durations as d
    join anchors as a on a.fact_id = d.fact_id and a.nearest = 1
    where a.anchor_year + floor(d.value) > year(d.published_date)
)

select * from final
