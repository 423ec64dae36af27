-- grain: one row per pair of neighbouring counts in one sentence whose ratio leaves its band
with counts as (
    select *, row_number() over (partition by article_id, sentence_start order by source_start) as n
    from facts
    where kind = 'count' and value > 0 and approx is distinct from 'range'
),

neighbours as (
    select a.article_id, a.fact_id as den_id, b.fact_id as num_id, a.value as den, b.value as num,
        coalesce(a.counted, '') as den_counted, coalesce(b.counted, '') as num_counted,
        a.unit as den_unit, b.unit as num_unit, b.sentence
    from counts as a
    join counts as b
        on a.article_id = b.article_id and a.sentence_start = b.sentence_start and abs(a.n - b.n) = 1
),

banded as (
    select p.*, r.min_ratio, r.max_ratio, r.note, p.num / p.den as ratio
    from neighbours as p
    join ref_ratio_bands as r
        on (r.numerator is null or p.num_counted like '%' || r.numerator)
        and (r.numerator_unit is null or p.num_unit = r.numerator_unit)
        and (r.denominator is null or p.den_counted like '%' || r.denominator)
        and (r.denominator_unit is null or p.den_unit = r.denominator_unit)
),

final as (
    select
        article_id,
        [den_id, num_id] as fact_ids,
        printf('%s%s per %s is %.1f (%g / %g), outside the plausible band %g–%g (%s). Sentence: 「%s」',
            num_counted, num_unit, den_counted, ratio, num, den, min_ratio, max_ratio, note, sentence) as message
    from banded
    where ratio < min_ratio or ratio > max_ratio
)

select * from final
