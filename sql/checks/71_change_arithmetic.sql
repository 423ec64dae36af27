-- grain: one row per stated change that the from and to values of its own sentence contradict
--
-- 收入由1.2万元增加到1.8万元,增长了50%: a from value (由/从 before it in its clause), a to value
-- (增加到, 提高至, 下降到 ... between the two, of the same kind and unit) and, right after the to
-- value, the change. The change is read as a ratio (增长50% is 1.5 times, 下降30% 0.7 times;
-- 增长N倍 either N+1 or N times, as Chinese writers use it both ways; 翻番 twice, 翻两番 four
-- times), as a difference in the same unit (增加6000元), or, between two percentages, as
-- percentage points (下降了10.2个百分点; a bare % there may mean either). A change whose verb
-- is 年均 (a yearly rate) is not read. Approximate values are read at their most favourable;
-- ratios get 10% slack for rounding, and differences 10% of the change plus half a step of the
-- last written digit of each value.
with figures as (
    select *, sentence_offset + length(surface) as end_offset
    from v_fact_bounds
    where coalesce(value, value_low, value_high) is not null and not coalesce(in_title, false)
),

froms as (
    select *
    from figures
    where kind in ('count', 'money', 'measure', 'percent')
        and regexp_matches(left(sentence, sentence_offset), '(由|从)[^,，;；:：。由从]{0,12}$')
),

moves as (
    -- 由A增加到B: the gap between the two holds the verb and 到/至, and at most a date (2023年的)
    select a.article_id, a.fact_id as from_id, b.fact_id as to_id, a.surface as from_surface,
        b.surface as to_surface, a.half_step + b.half_step as rounding,
        a.lo as from_lo, a.hi as from_hi, b.lo as to_lo, b.hi as to_hi,
        b.unit, b.sentence_start, b.end_offset as to_end, b.sentence,
        regexp_matches(substr(b.sentence, a.end_offset + 1, b.sentence_offset - a.end_offset),
            '^\s*(下降|减少|降低|回落|缩小|缩减|压缩|降|减)') as falls
    from froms as a
    join figures as b
        on a.article_id = b.article_id and a.sentence_start = b.sentence_start
        and a.end_offset <= b.sentence_offset and a.unit = b.unit and a.kind = b.kind
    where regexp_matches(substr(b.sentence, a.end_offset + 1, b.sentence_offset - a.end_offset),
            '^\s*(增加|增长|提高|提升|上升|扩大|攀升|跃升|增|下降|减少|降低|回落|缩小|缩减|压缩|降|减)了?(到|至)[^,，;；:：。\d]{0,4}(\d{4}年(底|末)?的?)?$')
),

changes as (
    -- the change right after the to value: ,增长了50% / ,增加6000元 / ,翻了一番
    select m.*, g.fact_id as change_id, g.surface as change_surface, g.kind as change_kind,
        g.unit as change_unit, g.value as change_value,
        substr(m.sentence, m.to_end + 1, g.sentence_offset - m.to_end) as gap,
        row_number() over (partition by m.to_id order by g.sentence_offset) as nearest
    from moves as m
    join figures as g
        on g.article_id = m.article_id and g.sentence_start = m.sentence_start and g.sentence_offset >= m.to_end
    where g.approx is null and g.value is not null
),

signed as (
    -- the change's own verb says which way; a bare 翻番 goes the way of the move
    select *,
        case when regexp_matches(gap, '(下降|减少|降低|回落|缩小|缩减|压缩|降|减)') then -1
             when regexp_matches(gap, '(增长|增加|提高|提升|上升|扩大|增)') then 1
             when falls then -1 else 1 end as sign
    from changes
    where nearest = 1
        and regexp_matches(gap, '^[,，]?\s*((同比|累计|净|共|总共)?(增长|增加|提高|提升|上升|扩大|增|下降|减少|降低|回落|缩小|缩减|压缩|降|减)了?|(增幅|降幅|涨幅)(达到|达|为|是)?)?$')
        -- a bare gap is only a 翻番 (翻了一番 is its own figure)
        and (regexp_matches(gap, '[增提上扩降减回缩压涨]') or contains(change_surface, '番'))
),

readings as (
    select *,
        -- as ratios of the to value to the from value
        case
            when change_kind = 'multiple' and contains(change_surface, '番') then [change_value]
            when change_kind = 'multiple' and not falls then [change_value, change_value + 1]
            when change_kind = 'percent' and change_unit = '%' then [1 + sign * change_value / 100]
            else []
        end as ratios,
        -- as differences of the to value less the from value
        case
            when change_kind = 'percent' and unit = '%' and change_unit in ('%', '个百分点') then [sign * change_value]
            when change_kind in ('count', 'money', 'measure') and change_unit = unit then [sign * change_value]
            else []
        end as differences
    from signed
),

judged as (
    select *,
        case when from_hi > 0 then to_lo / from_hi end as ratio_low,
        case when from_lo > 0 then to_hi / from_lo else 'infinity'::double end as ratio_high,
        to_lo - from_hi as difference_low,
        to_hi - from_lo as difference_high
    from readings
    where len(ratios) + len(differences) > 0
),

final as (
    select
        article_id,
        [from_id, to_id, change_id] as fact_ids,
        printf('%s from %s to %s matches no reading of it (%s). Sentence: 「%s」',
            change_surface, from_surface, to_surface,
            array_to_string(
                [printf('%.3g times', r) for r in ratios]
                || [printf('a difference of %g', d) for d in differences], ' or '),
            sentence) as message
    from judged
    where len([r for r in ratios if ratio_low is not null and ratio_low <= 1.1 * r and r <= 1.1 * ratio_high]) = 0
        and len([d for d in differences
                 if difference_low - (0.1 * abs(d) + rounding) <= d
                     and d <= difference_high + (0.1 * abs(d) + rounding)]) = 0
)

select * from final
