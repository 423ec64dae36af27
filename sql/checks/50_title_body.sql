-- grain: one row per headline figure that no body figure of the same kind, unit and thing agrees with
with title_facts as (
    select * from facts where in_title and value is not null
),

body_facts as (
    select * from facts where not coalesce(in_title, false) and value is not null
),

candidates as (
    select t.article_id, t.fact_id as title_id, t.surface as title_surface, t.value as title_value,
        b.fact_id as body_id, b.value as body_value, b.surface as body_surface, b.sentence as body_sentence
    from title_facts as t
    join body_facts as b
        on b.article_id = t.article_id and b.kind = t.kind and b.unit is not distinct from t.unit
        and (t.kind in ('multiple', 'percent')
            or (t.counted is not null and b.counted is not null
                and (contains(t.counted, b.counted) or contains(b.counted, t.counted))))
),

judged as (
    select article_id, title_id, title_surface, title_value,
        list(body_id order by body_id) as body_ids,
        string_agg(body_surface, '、' order by body_id) as body_surfaces,
        bool_or(abs(body_value - title_value) <= 0.005 * abs(title_value)) as agrees,
        min(body_sentence) as body_sentence
    from candidates
    group by all
),

final as (
    select
        article_id,
        list_prepend(title_id, body_ids) as fact_ids,
        printf('The headline says %s (%g) but the body says %s. Body: 「%s」',
            title_surface, title_value, body_surfaces, body_sentence) as message
    from judged
    where not agrees
)

select * from final
