-- grain: one row per fact, with its article and file: the view analysts start from
create or replace view v_facts as
with facts as (
    select * from main.facts
),

articles as (
    select article_id, source_path, title, published_date, published_date_inferred, kind as article_kind
    from main.articles
),

final as (
    select
        f.fact_id,
        f.article_id,
        a.title,
        a.source_path,
        a.published_date,
        f.surface,
        f.value,
        f.value_low,
        f.value_high,
        f.unit,
        f.kind,
        f.approx,
        f.counted,
        f.place,
        f.place_level,
        f.place_province,
        f.place_city,
        f.place_county,
        f.year,
        f.in_title,
        f.sentence,
        f.source_start,
        f.source_end
    from facts as f
    join articles as a using (article_id)
)

select * from final;
