-- grain: one row per fact dated to a year after its article's publication, outside plans and targets
with dated as (
    select f.*, a.published_date
    from facts as f
    join articles as a using (article_id)
    where f.year is not null and a.published_date is not null
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s is dated %d, after the article''s publication date %s. Sentence: 「%s」',
            surface, year, published_date, sentence) as message
    from dated
    where year > year(published_date)
        and not regexp_matches(sentence, '到|至|计划|预计|力争|目标|将|规划|预期|有望|争取|届时')
)

select * from final
