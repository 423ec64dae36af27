-- grain: one row per "N年来" that, counted from the year named before it, passes every other year of its page
--
-- When the input gives no publication date it is inferred from the years the page names, and
-- from these very "since" clauses, so since_year cannot judge them. The evidence left is the
-- other years the page writes out (2023年, 2022年, in any of its articles): a page is seldom
-- printed more than a year after the latest of them. 2018年 ... 16年多来 reaching 2034 on a page
-- whose latest other year is 2023 is suspect. A warning, because the publication year is a guess.
with durations as (
    select f.*, a.source_path
    from facts as f
    join articles as a using (article_id)
    where f.kind = 'duration' and f.unit = '年' and f.value is not null
        and regexp_matches(f.suffix, '^(来|以来|间|过去|时间里)') and a.published_date_inferred
),

anchors as (
    select d.fact_id, y.year as anchor_year, y.surface as anchor_surface, y.source_start as anchor_start,
        row_number() over (partition by d.fact_id order by y.source_start desc) as nearest
    from durations as d
    join dates as y
        on y.article_id = d.article_id and y.source_start < d.source_start
        and d.source_start - y.source_start <= 300 and not coalesce(y.base, false)
        and regexp_matches(y.surface, '^\d{4}年') and y.year is not null
),

page_years as (
    select d.fact_id, max(y.year) as latest_year
    from durations as d
    join anchors as an on an.fact_id = d.fact_id and an.nearest = 1
    join articles as pa on pa.source_path = d.source_path
    join dates as y
        on y.article_id = pa.article_id and regexp_matches(y.surface, '^\d{4}年') and y.year is not null
        and not (y.article_id = d.article_id and y.source_start = an.anchor_start)
    group by d.fact_id
),

judged as (
    select d.*, a.anchor_year, a.anchor_surface, p.latest_year,
        floor(d.value)::int - case when d.approx in ('nearly', 'less_than') then 1 else 0 end as whole_years
    from durations as d
    join anchors as a on a.fact_id = d.fact_id and a.nearest = 1
    join page_years as p on p.fact_id = d.fact_id
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s counted from %s reaches %d, yet the latest other year the page names is %d; the page states no publication date. Sentence: 「%s」',
            surface, anchor_surface, anchor_year + whole_years, latest_year, sentence) as message
    from judged
    where anchor_year + whole_years > latest_year + 1
)

select * from final
