-- grain: one row per "N户M人" whose people per household no household can hold
--
-- 脱贫户86户312人, 全村386户1420人: a count of households written right against a count of
-- people (nothing between them) gives the same households in people. Each household holds
-- one person at least, and households of more than 10 on average are not found: a changed
-- figure (86户3120人, 860户312人) leaves that range. Households that are businesses
-- (个体工商户, 市场主体) are not read: their people are staff. Approximate figures are read at their
-- most favourable.
with counts as (
    select *, sentence_offset + length(surface) as end_offset
    from v_fact_bounds
    where kind = 'count' and coalesce(value, value_low, value_high) is not null and per is null
),

pairs as (
    select h.article_id, h.fact_id as households_id, p.fact_id as people_id, h.surface as households_surface,
        p.surface as people_surface, h.counted, h.sentence,
        p.lo / h.hi as ratio_low,
        case when h.lo > 0 then p.hi / h.lo else 'infinity'::double end as ratio_high
    from counts as h
    join counts as p
        on p.article_id = h.article_id and p.sentence_start = h.sentence_start
        and p.sentence_offset = h.end_offset
    where h.unit = '户' and p.unit in ('人', '名', '口') and h.hi >= 2
        and not regexp_matches(coalesce(h.counted, ''), '(工商户|商户|企业|主体|经营户|单位)$')
),

final as (
    select
        article_id,
        [households_id, people_id] as fact_ids,
        printf('%s %s make %s people per household, outside 1 to 10. Sentence: 「%s」',
            households_surface, people_surface,
            case when ratio_high <= 1.000001 * ratio_low then printf('%.3g', ratio_low)
                 else printf('%.3g to %.3g', ratio_low, least(ratio_high, 1e9)) end,
            sentence) as message
    from pairs
    where ratio_high < 1 or ratio_low > 10
)

select * from final
