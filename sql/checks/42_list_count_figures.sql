-- grain: one row per small stated count of things that the next figures itemise in another number
--
-- 发布“三张清单”。有12项……履职清单,28项……赋能清单,12项……负面清单: the count of lists is
-- itemised by figures, one per item, each counted as a kind of the stated thing (a phrase ending
-- in the stated noun, longer than it). Items are the distinct such phrases after the count, in
-- its sentence or the next one, within 150 characters. Two or more items that are not the stated
-- number make the count suspicious. A warning: the text may itemise only some of them.
with stated as (
    select f.*
    from facts as f
    where f.kind = 'count' and f.value between 2 and 10 and f.value = floor(f.value) and f.approx is null
        and length(f.counted) >= 2 and not coalesce(f.in_title, false)
        and not exists (select 1 from enumerations as e where e.fact_id = f.fact_id)
),

next_sentence as (
    select s.fact_id, min(n.sentence_start) as sentence_start
    from stated as s
    join facts as n on n.article_id = s.article_id and n.sentence_start > s.sentence_start
    group by s.fact_id
),

items as (
    select s.fact_id, i.fact_id as item_id, i.counted, i.surface
    from stated as s
    left join next_sentence as ns on ns.fact_id = s.fact_id
    join facts as i
        on i.article_id = s.article_id and i.source_start > s.source_start
        and i.source_start - s.source_end <= 150
        and (i.sentence_start = s.sentence_start or i.sentence_start = ns.sentence_start)
        and i.kind = 'count' and i.counted like '%' || s.counted and length(i.counted) > length(s.counted)
),

itemised as (
    select fact_id, count(distinct counted) as n_items,
        list(item_id order by item_id) as item_ids,
        string_agg(distinct counted, '、') as item_text
    from items
    group by fact_id
),

final as (
    select
        s.article_id,
        list_prepend(s.fact_id, i.item_ids) as fact_ids,
        printf('%s %s is stated, but the figures that follow name %d kinds of %s (%s). Sentence: 「%s」',
            s.surface, s.counted, i.n_items, s.counted, i.item_text, s.sentence) as message
    from stated as s
    join itemised as i using (fact_id)
    where i.n_items >= 2 and i.n_items <> s.value
)

select * from final
