-- grain: one row per 等-list that names three quarters or more, but not all, of its stated count
--
-- 等 after a list either closes a complete list (A、B、C等3家) or marks it as a sample (衣食住行、
-- 教育、医疗、养老等十个方面). A sample seldom names most of the count: six names before 等8家
-- more likely means the count is wrong than that two were left out, while 张庄、李庄、王庄等5个村
-- reads as a sample. A warning, because both readings are Chinese as it is written; only lists
-- of three or more names that reach three quarters of the count are judged.
with listed as (
    select f.article_id, f.fact_id, f.value, f.surface, f.counted, f.prefix, f.sentence, e.items, e.item_text
    from enumerations as e
    join facts as f using (fact_id)
    where e.partial and f.value is not null and f.kind = 'count'
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s %s is stated after a list closed by 等 that names %d of them (%s): if 等 closes a complete list, the count is wrong. Sentence: 「%s」',
            surface, coalesce(counted, ''), items, item_text, sentence) as message
    from listed
    where items < value and items >= 3 and items >= 0.75 * value
        and not regexp_matches(prefix, '的$')
)

select * from final
