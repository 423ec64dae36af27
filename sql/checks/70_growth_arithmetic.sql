-- grain: one row per stated growth against a base year that the two stated values contradict
--
-- 去年收入100万元,较2020年增长1.5倍 with 2020年 收入40万元 stated: 100 / 40 = 2.5. 增长N倍 is
-- read both ways Chinese writers use it (to N+1 times, or to N times), 翻番/翻一番 is twice (or
-- up to a quarter more: 实现翻番), never three times, 翻两番 four times, a yearly rate (年均) is
-- not read, 增长30% is 1.3 times and 下降30% 0.7 times. The current value is the figure
-- right before the growth in its sentence; the base value is a figure of the base year, of the
-- same kind and unit, counted by a phrase that contains or is contained in the current one. The
-- figure right after the base year is not the current value but the base's own: in
-- 达到150万元,较2021年的50万元增长了2倍 the current value is the 150万元.
-- Approximate values are read at their most favourable, each value may be off by half a step of
-- its last written digit, and a reading may miss by a tenth of the change it states (增长30%:
-- 27% to 33%) plus a hundredth for the rounding of the change itself.
with growth as (
    select m.*, d.year as base_year, d.surface as base_surface, d.source_end as base_end,
        case
            when m.kind = 'multiple' and contains(m.surface, '番') then [m.value]
            when m.kind = 'multiple' then [m.value, m.value + 1]
            when regexp_matches(m.prefix, '(下降|减少|降低|回落)$') then [1 - m.value / 100]
            else [1 + m.value / 100]
        end as readings,
        -- 实现翻番 is doubled or a little more: up to a quarter above the reading
        case when contains(m.surface, '番') then 1.25 else 1 end as reach,
        row_number() over (partition by m.fact_id order by d.source_start desc) as nearest_base
    from facts as m
    join dates as d
        on d.article_id = m.article_id and d.base and d.source_start < m.source_start
        and d.source_start >= m.sentence_start
    where m.value is not null and m.approx is null
        and (m.kind = 'multiple'
            or (m.kind = 'percent' and m.unit = '%' and regexp_matches(m.prefix, '(增长|增加|提高|提升|上升|下降|减少|降低|回落)$')))
        -- 年均增长7.5% is a yearly rate, not the growth since the base year
        and not (contains(m.sentence, '年均') and regexp_matches(left(m.sentence, m.sentence_offset), '年均[^,，;；:：。]{0,3}$'))
),

bounded as (
    select *
    from v_fact_readings
    where kind in ('money', 'count', 'measure') and coalesce(value, value_low, value_high) is not null
),

current_value as (
    select g.fact_id as growth_id, c.fact_id as current_id, c.surface as current_surface,
        c.lo - c.half_step as lo, c.hi + c.half_step as hi,
        c.kind, c.unit, c.counted, c.year,
        row_number() over (partition by g.fact_id order by c.source_start desc) as nearest
    from growth as g
    join bounded as c
        on c.article_id = g.article_id and c.sentence_start = g.sentence_start and c.source_start < g.source_start
        and c.source_start not between g.base_end and g.base_end + 1
    where g.nearest_base = 1
),

base_value as (
    select g.fact_id as growth_id, b.fact_id as base_id, b.surface as base_value_surface,
        b.lo - b.half_step as lo, b.hi + b.half_step as hi,
        row_number() over (partition by g.fact_id order by abs(b.source_start - g.source_start)) as nearest
    from growth as g
    join current_value as c on c.growth_id = g.fact_id and c.nearest = 1
    join bounded as b
        on b.article_id = g.article_id and b.year = g.base_year and b.kind = c.kind
        and b.unit is not distinct from c.unit and b.fact_id <> c.current_id
        and b.counted is not null and c.counted is not null
        and (contains(b.counted, c.counted) or contains(c.counted, b.counted))
    where g.nearest_base = 1 and c.year is distinct from g.base_year
),

judged as (
    select g.article_id, g.fact_id, c.current_id, b.base_id, g.surface, g.sentence, g.base_surface,
        c.current_surface, b.base_value_surface, g.readings, g.reach,
        c.lo / b.hi as ratio_low,
        case when b.lo > 0 then c.hi / b.lo else 'infinity'::double end as ratio_high
    from growth as g
    join current_value as c on c.growth_id = g.fact_id and c.nearest = 1
    join base_value as b on b.growth_id = g.fact_id and b.nearest = 1
    where b.hi > 0 and g.nearest_base = 1
),

final as (
    select
        article_id,
        [base_id, current_id, fact_id] as fact_ids,
        printf('%s against %s: %s then and %s now make %s times, which matches no reading of %s (%s times). Sentence: 「%s」',
            surface, base_surface, base_value_surface, current_surface,
            case when ratio_high - ratio_low < 0.01 * ratio_low then printf('%.3g', ratio_low)
                 else printf('%.3g to %.3g', ratio_low, ratio_high) end,
            surface, array_to_string([printf('%g', r) for r in readings], ' or '), sentence) as message
    from judged
    where len([r for r in readings
               if ratio_low <= r * reach + 0.1 * abs(r - 1) + 0.01 and r - 0.1 * abs(r - 1) - 0.01 <= ratio_high]) = 0
)

select * from final
