-- grain: one row per fact dated to a year after its article's publication, outside plans and targets
--
-- A figure of 2026 in an article printed in 2024 is either a target (到2026年, 计划, 力争 ...) or a
-- mistaken year. Sentences that speak of a plan, a target or the future are left alone. A warning:
-- plans are worded in many ways.
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
        printf('%s is dated %d, after the article''s publication date %s, and the sentence states no plan or target. Sentence: 「%s」',
            surface, year, published_date, sentence) as message
    from dated
    where year > year(published_date)
        and not regexp_matches(sentence,
            '(到|至|截至|截止|于|在)\s*\d{4}年|\d{4}年(前|以前|之前|底前|末前)|计划|预计|力争|目标|规划|预期|有望|争取|届时|将|拟|要|确保|预测|展望|远景|愿景|设想')
)

select * from final
