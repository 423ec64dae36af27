-- grain: one row per "N年来" that, counted from the year named before it, passes the publication year
--
-- 2018年 ... 6年多来 says the article was written in 2024 or later: the year named last before
-- the duration (within 300 characters, in the same article) plus its whole years must not pass
-- the year of a publication date the input states. 近6年 counts as 5 whole years. Articles whose
-- date is inferred are left to since_year_inferred, since the inference reads these very clauses.
with durations as (
    select f.*, a.published_date
    from facts as f
    join articles as a using (article_id)
    where f.kind = 'duration' and f.unit = '年' and f.value is not null
        and regexp_matches(f.suffix, '^(来|以来|间|过去|时间里)') and a.published_date is not null
        and not a.published_date_inferred
),

anchors as (
    select d.fact_id, y.year as anchor_year, y.surface as anchor_surface,
        row_number() over (partition by d.fact_id order by y.source_start desc) as nearest
    from durations as d
    join dates as y
        on y.article_id = d.article_id and y.source_start < d.source_start
        and d.source_start - y.source_start <= 300 and not coalesce(y.base, false)
        and regexp_matches(y.surface, '^\d{4}年') and y.year is not null
),

judged as (
    select d.*, a.anchor_year, a.anchor_surface,
        floor(d.value)::int - case when d.approx in ('nearly', 'less_than') then 1 else 0 end as whole_years
    from durations as d
    join anchors as a on a.fact_id = d.fact_id and a.nearest = 1
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s counted from %s reaches %d, after the article''s publication year %d. Sentence: 「%s」',
            surface, anchor_surface, anchor_year + whole_years, year(published_date), sentence) as message
    from judged
    where anchor_year + whole_years > year(published_date)
)

select * from final
