-- grain: one row per 在X个A建立B Y个 clause with no band for its pair and an extreme ratio
--
-- The fallback for pairs ratio_bands.csv does not know. It judges only the one construction
-- whose meaning is certain whatever the nouns: in X units of A, Y units of B were set up
-- (在55个社区建立党支部637个, 在12个乡镇设立服务站30个). Then B per A is a density, and more than
-- 100 of B in each A, or one B for more than 100 A, is suspicious. Approximate figures are read
-- at their most favourable.
with counts as (
    -- 超过14万 with no stated step: a writer with twice the figure would have said so
    select * replace (case when isinf(hi) then 2 * value else hi end as hi),
        sentence_offset as pos,
        row_number() over (partition by article_id, sentence_start order by source_start) as n
    from v_fact_bounds
    where kind = 'count' and coalesce(value, value_high) > 0 and not coalesce(in_title, false)
),

pairs as (
    select a.article_id, a.fact_id as den_id, b.fact_id as num_id, a.surface as den_surface, b.surface as num_surface,
        a.lo as den_lo, a.hi as den_hi, b.lo as num_lo, b.hi as num_hi,
        coalesce(a.counted, '') as den_counted, coalesce(b.counted, '') as num_counted,
        coalesce(a.unit, '') as den_unit, coalesce(b.unit, '') as num_unit, b.sentence,
        -- the words between the two figures
        substring(a.sentence, a.pos + length(a.surface) + 1, b.pos - a.pos - length(a.surface)) as between_text
    from counts as a
    join counts as b
        on a.article_id = b.article_id and a.sentence_start = b.sentence_start and b.n = a.n + 1
    where a.prefix like '%在'
),

containment as (
    select *
    from pairs
    where regexp_matches(between_text, '^[^,，;；:：。]*(建立|成立|设立|组建|建成|建起|培育|开办|开设|设置|打造|选派|配备)')
),

unbanded as (
    select p.*
    from containment as p
    where not exists (
        select 1 from ref_ratio_bands as r
        where (r.numerator is null or len([x for x in string_split(r.numerator, '|') if ends_with(p.num_counted, x)]) > 0)
            and (r.numerator_unit is null or list_contains(string_split(r.numerator_unit, '|'), p.num_unit))
            and (r.denominator is null or len([x for x in string_split(r.denominator, '|') if ends_with(p.den_counted, x)]) > 0)
            and (r.denominator_unit is null or list_contains(string_split(r.denominator_unit, '|'), p.den_unit))
    )
),

judged as (
    select *,
        num_lo / den_hi as ratio_low,
        case when den_lo > 0 then num_hi / den_lo else 'infinity'::double end as ratio_high
    from unbanded
),

final as (
    select
        article_id,
        [den_id, num_id] as fact_ids,
        printf('%s %s set up in %s %s is %s per %s, an extreme density: no band is set for this pair, and the fallback allows 0.01 to 100. Sentence: 「%s」',
            num_surface, num_counted, den_surface, den_counted,
            case when ratio_high <= 1.000001 * ratio_low then printf(case when ratio_low >= 100 then '%.0f' else '%.3g' end, ratio_low)
                 else printf(case when ratio_low >= 100 then '%.0f to %.0f' else '%.3g to %.3g' end, ratio_low, ratio_high) end,
            den_counted, sentence) as message
    from judged
    where ratio_high < 0.01 or ratio_low > 100
)

select * from final
