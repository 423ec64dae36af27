-- grain: one row per stated growth (增长N倍, 翻番) that the two stated values contradict
with growth as (
    select m.*, d.year as base_year
    from facts as m
    join dates as d
        on d.article_id = m.article_id and d.base and d.source_start < m.source_start
        and d.source_start >= m.sentence_start
    where m.kind = 'multiple' and m.value is not null
),

current_value as (
    select g.fact_id as growth_id, c.fact_id as current_id, c.value as current, c.kind, c.unit, c.counted,
        row_number() over (partition by g.fact_id order by c.source_start desc) as nearest
    from growth as g
    join facts as c
        on c.article_id = g.article_id and c.sentence_start = g.sentence_start and c.source_start < g.source_start
        and c.kind in ('money', 'count', 'measure')
),

base_value as (
    select g.fact_id as growth_id, b.fact_id as base_id, b.value as base,
        row_number() over (partition by g.fact_id order by b.source_start) as nearest
    from growth as g
    join current_value as c on c.growth_id = g.fact_id and c.nearest = 1
    join facts as b
        on b.article_id = g.article_id and b.year = g.base_year and b.kind = c.kind
        and b.unit is not distinct from c.unit and b.fact_id <> c.current_id
        and b.counted is not null and c.counted is not null
        and (contains(b.counted, c.counted) or contains(c.counted, b.counted))
),

judged as (
    select g.article_id, g.fact_id, c.current_id, b.base_id, g.value as stated, c.current, b.base,
        c.current / b.base as ratio, g.surface, g.sentence, g.base_year,
        starts_with(g.surface, '翻') as doubling
    from growth as g
    join current_value as c on c.growth_id = g.fact_id and c.nearest = 1
    join base_value as b on b.growth_id = g.fact_id and b.nearest = 1
    where b.base > 0
),

final as (
    select
        article_id,
        [base_id, current_id, fact_id] as fact_ids,
        printf('%s since %d: the stated values %g and %g make a ratio of %.2f, which matches neither %g times nor %g times. Sentence: 「%s」',
            surface, base_year, base, current, ratio, stated, stated + 1, sentence) as message
    from judged
    where case
        when doubling then abs(ratio - stated) > 0.15 * stated
        else abs(ratio - stated) > 0.1 * stated and abs(ratio - (stated + 1)) > 0.1 * (stated + 1)
    end
)

select * from final
