-- grain: one row per 在X个A建立B Y个 clause with no band and an extreme ratio
with counts as (
    select *, row_number() over (partition by article_id, sentence_start order by source_start) as n
    from facts
    where kind = 'count' and value > 0 and approx is distinct from 'range'
),

pairs as (
    select a.article_id, a.fact_id as den_id, b.fact_id as num_id, a.value as den, b.value as num,
        coalesce(a.counted, '') as den_counted, coalesce(b.counted, '') as num_counted,
        a.unit as den_unit, b.unit as num_unit, b.sentence
    from counts as a
    join counts as b
        on a.article_id = b.article_id and a.sentence_start = b.sentence_start and b.n = a.n + 1
    where a.prefix like '%在' and regexp_matches(b.prefix || b.counted, '建立|成立|设立|组建|建成|培育|开办|选派')
),

unbanded as (
    select p.*
    from pairs as p
    where not exists (
        select 1 from ref_ratio_bands as r
        where (r.numerator is null or p.num_counted like '%' || r.numerator)
            and (r.numerator_unit is null or p.num_unit = r.numerator_unit)
            and (r.denominator is null or p.den_counted like '%' || r.denominator)
            and (r.denominator_unit is null or p.den_unit = r.denominator_unit)
    )
),

final as (
    select
        article_id,
        [den_id, num_id] as fact_ids,
        printf('%g %s%s in %g %s%s is %.2f per %s, an extreme ratio; no band is set for this pair. Sentence: 「%s」',
            num, num_unit, num_counted, den, den_unit, den_counted, num / den, den_counted, sentence) as message
    from unbanded
    where num / den > 100 or num / den < 0.01
)

select * from final
