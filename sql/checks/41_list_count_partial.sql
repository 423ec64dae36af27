-- grain: one row per 等-list that names most, but not all, of its stated count
with listed as (
    select f.article_id, f.fact_id, f.value, f.surface, f.counted, f.sentence, e.items, e.item_text
    from enumerations as e
    join facts as f using (fact_id)
    where e.partial
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s states %g %s; the list before 等 names %d of them (%s). If 等 closes a complete list, the count is wrong. Sentence: 「%s」',
            surface, value, coalesce(counted, ''), items, item_text, sentence) as message
    from listed
    where items < value and items >= 0.75 * value
)

select * from final
