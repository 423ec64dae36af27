-- grain: one row per stated total below what G groups of more than N each require
with per_group as (
    select *
    from facts
    where per is not null and approx in ('more_than', 'at_least') and value is not null
),

groups as (
    select p.fact_id as per_id, g.fact_id as group_id, g.value as groups, g.counted as group_counted,
        row_number() over (partition by p.fact_id order by abs(p.source_start - g.source_start)) as nearest
    from per_group as p
    join facts as g
        on g.article_id = p.article_id and g.kind = 'count' and g.fact_id <> p.fact_id
        and (g.counted like '%' || p.per or p.per like '%' || g.counted)
),

totals as (
    select p.fact_id as per_id, t.fact_id as total_id, t.value as total, t.sentence as total_sentence,
        row_number() over (partition by p.fact_id order by abs(p.source_start - t.source_start)) as nearest
    from per_group as p
    join facts as t
        on t.article_id = p.article_id and t.kind = 'count' and t.fact_id <> p.fact_id and t.per is null
        and t.counted is not null and p.counted is not null
        and (starts_with(p.counted, t.counted) or starts_with(t.counted, p.counted))
        and (t.unit = p.unit or (t.unit in ('人', '名', '位') and p.unit in ('人', '名', '位')))
),

judged as (
    select p.article_id, p.fact_id as per_id, g.group_id, t.total_id, g.groups, p.value as each_value,
        p.approx, t.total, p.sentence, g.group_counted, p.per,
        g.groups * (p.value + case when p.approx = 'more_than' and p.value = floor(p.value) then 1 else 0 end) as needed
    from per_group as p
    join groups as g on g.per_id = p.fact_id and g.nearest = 1
    join totals as t on t.per_id = p.fact_id and t.nearest = 1
),

final as (
    select
        article_id,
        [group_id, per_id, total_id] as fact_ids,
        printf('%g %s each with %s %g need at least %g in all, but the total stated is %g. Sentence: 「%s」',
            groups, per, case when approx = 'more_than' then 'more than' else 'at least' end, each_value,
            needed, total, sentence) as message
    from judged
    where total < needed
)

select * from final
