-- grain: one row per stated total below what its groups, each of a stated least size, require
--
-- 每个党小组的党员都超过6人 with 11个党小组 means at least 11 × 7 = 77 members; a total of
-- 135名党员 in the same article and place may stand, 35名 may not. The group count is the
-- nearest count whose phrase is the 每 noun (党小组); the total is the nearest count of the same
-- thing (党员 for 党员数量, 全社区登记志愿者 for 志愿者) that holds for no 每 and is no change
-- (比上年增加5名). "More than 6" of people means at least 7; a
-- stated exact size per group (每组5人) or 以上/至少 is a least size as it stands.
with per_group as (
    select *,
        value + case when approx = 'more_than' and value = floor(value) then 1 else 0 end as least_each
    from facts
    where per is not null and kind = 'count' and value is not null
        and (approx is null or approx in ('more_than', 'at_least'))
),

groups as (
    select p.fact_id as per_id, g.fact_id as group_id, g.surface as group_surface,
        -- the fewest groups the figure allows: 11个 is 11, 10多个 at least 10
        case when g.approx in ('nearly', 'less_than', 'about') then null else g.value end as groups,
        row_number() over (partition by p.fact_id order by abs(p.source_start - g.source_start)) as nearest
    from per_group as p
    join facts as g
        on g.article_id = p.article_id and g.kind = 'count' and g.fact_id <> p.fact_id and g.per is null
        and g.counted is not null and length(g.counted) >= 2
        and (g.counted like '%' || p.per or p.per like '%' || g.counted)
        and g.place is not distinct from p.place
),

totals as (
    select p.fact_id as per_id, t.fact_id as total_id, t.surface as total_surface, t.counted as total_counted,
        -- the most members the figure allows
        case t.approx
            when 'more_than' then coalesce(t.value_high, 'infinity'::double)
            when 'at_least' then 'infinity'::double
            when 'about' then 1.2 * t.value
            when 'range' then t.value_high
            else t.value
        end as total_most,
        -- the total of the 每 noun itself first (党员, 党员总数), then one with a qualifier before
        -- it (全社区登记志愿者); the nearest of them
        row_number() over (partition by p.fact_id order by
            (t.counted = p.counted or starts_with(t.counted, p.counted))::int desc,
            abs(p.source_start - t.source_start)) as nearest
    from per_group as p
    join v_fact_readings as t
        on t.article_id = p.article_id and t.kind = 'count' and t.fact_id <> p.fact_id and t.per is null
        and t.counted is not null and p.counted is not null
        and length(t.counted) >= 2 and length(p.counted) >= 2
        and (starts_with(p.counted, t.counted) or starts_with(t.counted, p.counted)
            or ends_with(p.counted, t.counted) or ends_with(t.counted, p.counted))
        and (t.unit = p.unit or (t.unit in ('人', '名', '位') and p.unit in ('人', '名', '位')))
        and t.place is not distinct from p.place
        -- a change (党员86名,比上年增加5名) is no total, nor a part (其中女党员18名)
        and not t.is_change
        and not (contains(t.sentence, '其中')
                 and regexp_matches(regexp_extract(left(t.sentence, t.sentence_offset), '[^,，;；:：]*$'), '^\s*其中'))
),

judged as (
    select p.article_id, p.fact_id as per_id, g.group_id, t.total_id, g.groups, g.group_surface, p.surface,
        p.least_each, t.total_most, t.total_surface, t.total_counted, p.sentence, p.per,
        g.groups * p.least_each as needed
    from per_group as p
    join groups as g on g.per_id = p.fact_id and g.nearest = 1
    join totals as t on t.per_id = p.fact_id and t.nearest = 1
    where g.groups is not null
),

final as (
    select
        article_id,
        [group_id, per_id, total_id] as fact_ids,
        printf('%s %s with %s each need at least %g × %g = %g, but the total stated is %s %s. Sentence: 「%s」',
            group_surface, per, surface, groups, least_each, needed, total_surface, total_counted, sentence) as message
    from judged
    where total_most < needed
)

select * from final
