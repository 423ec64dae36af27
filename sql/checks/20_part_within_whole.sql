-- grain: one row per part larger than the whole it is drawn from
with counts as (
    select *,
        case when unit in ('人', '名', '位') then 'person' else unit end as unit_class
    from facts
    where kind = 'count' and value is not null and approx is distinct from 'range' and not coalesce(in_title, false)
),

-- 99个重点村 within 275个村: the part's phrase is a selecting modifier plus the whole's phrase
qualified as (
    select w.article_id, p.fact_id as part_id, w.fact_id as whole_id, p.value as part, w.value as whole,
        p.counted as part_counted, w.counted as whole_counted, p.sentence
    from counts as p
    join counts as w
        on p.article_id = w.article_id and p.fact_id <> w.fact_id and p.unit_class = w.unit_class
        and p.place is not distinct from w.place
        and length(w.counted) between 1 and 4
        and p.counted like '%' || w.counted and length(p.counted) > length(w.counted)
    where regexp_matches(left(p.counted, length(p.counted) - length(w.counted)), '重点|示范|试点|贫困|脱贫|先进|优秀|骨干|困难|特色|其中')
        and not regexp_matches(w.counted, '重点|示范|试点|贫困|先进|优秀|骨干')
),

-- 14位年轻人 ... 最终4人: a selection word right before a count of people
selected as (
    select p.article_id, p.fact_id as part_id, w.fact_id as whole_id, p.value as part, w.value as whole,
        p.counted as part_counted, w.counted as whole_counted, p.sentence,
        row_number() over (partition by p.fact_id order by w.source_start desc) as nearest
    from counts as p
    join counts as w
        on p.article_id = w.article_id and w.source_start < p.source_start
        and p.source_start - w.source_start < 200 and p.unit_class = 'person' and w.unit_class = 'person'
    where regexp_matches(p.prefix, '(最终|最后|其中|仅|只有|只)$')
),

offending as (
    select * from qualified where part > whole
    union all
    select * exclude (nearest) from selected where nearest = 1 and part > whole
),

final as (
    select distinct
        article_id,
        [part_id, whole_id] as fact_ids,
        printf('%g %s is more than the %g %s it is part of. Sentence: 「%s」',
            part, coalesce(part_counted, ''), whole, coalesce(whole_counted, ''), sentence) as message
    from offending
)

select * from final
