-- grain: one row per pair of articles that state different values for the same thing, place and year
with comparable as (
    select *
    from facts
    where counted is not null and length(counted) >= 2 and place is not null and year is not null
        and approx is null and value is not null and not coalesce(in_title, false)
),

pairs as (
    select a.article_id, a.fact_id as a_id, b.fact_id as b_id, a.value as a_value, b.value as b_value,
        a.counted, a.place, a.year, a.unit, a.surface as a_surface, b.surface as b_surface,
        a.sentence as a_sentence, b.sentence as b_sentence
    from comparable as a
    join comparable as b
        on a.counted = b.counted and a.place = b.place and a.year = b.year and a.unit is not distinct from b.unit
        and a.kind = b.kind and a.article_id < b.article_id
    where abs(a.value - b.value) > 0.005 * greatest(abs(a.value), abs(b.value))
),

final as (
    select
        article_id,
        [a_id, b_id] as fact_ids,
        printf('%s of %s in %d is %s in one article and %s in another. Sentences: 「%s」 「%s」',
            counted, place, year, a_surface, b_surface, a_sentence, b_sentence) as message
    from pairs
)

select * from final
