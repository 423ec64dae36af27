-- grain: one row per stated count that disagrees with the items listed with it
with listed as (
    select f.article_id, f.fact_id, f.value, f.surface, f.counted, f.sentence, e.items, e.partial, e.item_text
    from enumerations as e
    join facts as f using (fact_id)
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s states %g %s but %d item(s) are listed%s: %s. Sentence: 「%s」',
            surface, value, coalesce(counted, ''), items, case when partial then ' (ending in 等)' else '' end,
            item_text, sentence) as message
    from listed
    where (not partial and items <> value) or (partial and items > value)
)

select * from final
