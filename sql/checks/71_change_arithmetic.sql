-- grain: one row per stated change that the from and to values of its own sentence contradict
--
-- 收入由1.2万元增加到1.8万元,增长了50%: a from value (由/从 before it in its clause), a to value
-- (增加到, 提高至, 下降到, 增长为 ... between the two, of the same kind and unit) and, right after
-- the to value, the change. The change is read as a ratio (增长50% is 1.5 times, 下降30% 0.7
-- times; 增长N倍 either N+1 or N times, as Chinese writers use it both ways; 翻番 twice, 翻两番
-- four times), as a difference in the same unit (增加6000元, 新增80户), or, between two
-- percentages, as percentage points (下降了10.2个百分点; a bare % there may mean either). A
-- yearly rate (年均) is not read, nor a 同比 change between values dated other than a year apart
-- (it is the last year's change). 翻番 may be doubled or up to a quarter more (实现翻番). Approximate figures are read at their most favourable, and every value may be off by
-- half a step of its last written digit (v_fact_readings.half_step); beyond that, a reading may
-- miss by a tenth of the change it states.
with figures as (
    select *,
        unit_class(unit) as unit_class,
        sentence_offset + length(surface) as end_offset
    from v_fact_readings
    -- the three figures stand in one sentence with a 由 or 从 (a cheap test before the regexes)
    where (contains(sentence, '由') or contains(sentence, '从'))
        and coalesce(value, value_low, value_high) is not null and not coalesce(in_title, false)
),

froms as (
    select *
    from figures
    where kind in ('count', 'money', 'measure', 'percent')
        and regexp_matches(left(sentence, sentence_offset), '(由|从)[^,，;；:：。由从]{0,12}$')
),

moves as (
    -- 由A增加到B: the gap between the two holds the verb and 到/至/为, and at most a date (2023年的)
    select a.article_id, a.fact_id as from_id, b.fact_id as to_id, a.surface as from_surface,
        b.surface as to_surface, a.year as from_year, b.year as to_year,
        -- what stands between 由 and the from value: 2018年的, 脱贫攻坚前的, 上年的, or nothing
        regexp_extract(left(a.sentence, a.sentence_offset), '(由|从)([^,，;；:：。由从]{0,12})$', 2) as from_lead,
        a.lo - a.half_step as from_lo, a.hi + a.half_step as from_hi,
        b.lo - b.half_step as to_lo, b.hi + b.half_step as to_hi,
        b.unit, b.sentence_start, b.end_offset as to_end, b.sentence,
        regexp_matches(substr(b.sentence, a.end_offset + 1, b.sentence_offset - a.end_offset),
            '^\s*\S{0,2}?(下降|减少|降低|回落|缩小|缩减|压缩|降|减)') as falls
    from froms as a
    join figures as b
        on a.article_id = b.article_id and a.sentence_start = b.sentence_start
        and a.end_offset <= b.sentence_offset and a.unit_class = b.unit_class and a.kind = b.kind
    where regexp_matches(substr(b.sentence, a.end_offset + 1, b.sentence_offset - a.end_offset),
            '^\s*(一举|快速|稳步|大幅)?(增加|增长|提高|提升|上升|扩大|攀升|跃升|增|下降|减少|降低|回落|缩小|缩减|压缩|降|减)了?(到|至|为)[^,，;；:：。\d]{0,4}(\d{4}年(底|末)?的?)?$')
),

changes as (
    -- the change right after the to value: ,增长了50% / ,增加6000元 / ,翻了一番
    select m.*, g.fact_id as change_id, g.surface as change_surface, g.kind as change_kind,
        g.unit as change_unit, g.unit_class as change_unit_class,
        g.lo - g.half_step as change_lo, g.hi + g.half_step as change_hi,
        substr(m.sentence, m.to_end + 1, g.sentence_offset - m.to_end) as gap,
        row_number() over (partition by m.to_id order by g.sentence_offset) as nearest
    from moves as m
    join figures as g
        on g.article_id = m.article_id and g.sentence_start = m.sentence_start and g.sentence_offset >= m.to_end
),

signed as (
    -- the change's own verb says which way; a bare 翻番 goes the way of the move
    select *,
        case when regexp_matches(gap, '(下降|减少|降低|回落|缩小|缩减|压缩|降|减)') then -1
             when regexp_matches(gap, '(增长|增加|提高|提升|上升|扩大|增)') then 1
             when falls then -1 else 1 end as sign
    from changes
    where nearest = 1
        and regexp_matches(gap, '^[,，]?\s*((同比|环比|累计|净|共|总共|实现)?(增长|增加|新增|增收|增产|提高|提升|上升|扩大|增|下降|减少|降低|回落|缩小|缩减|压缩|降|减)了?|(增幅|降幅|涨幅)(达到|达|为|是)?)?$')
        -- a bare gap is only a 翻番 (翻了一番 is its own figure)
        and (regexp_matches(gap, '[增提上扩降减回缩压涨]') or contains(change_surface, '番'))
        -- 同比 is the last year's change: not read between values dated other than a year apart
        -- (由2020年的5万元增加到32万元,同比增长28%: one dated, the other now) unless they are of
        -- the same period (同期), nor from a value of another time named in words
        -- (由脱贫攻坚前的6800元, 由十年前的); 由上年的17000元增加到18500元 is a year apart
        and not (contains(gap, '同比') and coalesce(to_year - from_year, 0) <> 1 and not contains(sentence, '同期')
                 and (from_year is not null or to_year is not null or from_lead <> '')
                 and not regexp_matches(from_lead, '^(上年|去年|上年同期|去年同期|同期|上年末|上年底|去年底)的?$'))
),

readings as (
    -- each reading a range [low, high], from the change's own bounds
    select *,
        -- as ratios of the to value to the from value
        case
            when change_kind = 'multiple' and contains(change_surface, '番') then [[change_lo, 1.25 * change_hi]]
            when change_kind = 'multiple' and not falls then [[change_lo, change_hi], [change_lo + 1, change_hi + 1]]
            when change_kind = 'percent' and change_unit = '%' and sign > 0 then [[1 + change_lo / 100, 1 + change_hi / 100]]
            when change_kind = 'percent' and change_unit = '%' then [[1 - change_hi / 100, 1 - change_lo / 100]]
            else []
        end as ratios,
        -- as differences of the to value less the from value
        case
            when not ((change_kind = 'percent' and unit = '%' and change_unit in ('%', '个百分点'))
                      or (change_kind in ('count', 'money', 'measure') and change_unit_class = unit_class_of_to))
                then []
            when sign > 0 then [[change_lo, change_hi]]
            else [[-change_hi, -change_lo]]
        end as differences
    from (select *, unit_class(unit) as unit_class_of_to from signed)
),

judged as (
    select *,
        case when from_hi > 0 then greatest(to_lo, 0) / from_hi end as ratio_low,
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
        printf('%s from %s to %s matches no reading of it: the two values make %s (a difference of %s), and %s reads as %s. Sentence: 「%s」',
            change_surface, from_surface, to_surface,
            case when ratio_low is null then '?'
                 when ratio_high - ratio_low < 0.01 * ratio_low then printf('%.3g times', ratio_low)
                 else printf('%.3g to %.3g times', ratio_low, least(ratio_high, 1e12)) end,
            case when difference_high - difference_low <= 0.01 * abs(difference_low)
                 then printf(case when abs(difference_low) >= 1000 then '%.0f' else '%.4g' end, difference_low)
                 else printf(case when abs(difference_low) >= 1000 then '%.0f to %.0f' else '%.4g to %.4g' end,
                             difference_low, difference_high) end,
            change_surface,
            array_to_string(
                [printf('%.3g times', r[1]) for r in ratios]
                || [printf('a difference of %g', d[1]) for d in differences], ' or '),
            sentence) as message
    from judged
    where len([r for r in ratios if ratio_low is not null
               and r[1] - 0.1 * abs(r[1] - 1) <= ratio_high and ratio_low <= r[2] + 0.1 * abs(r[2] - 1)]) = 0
        and len([d for d in differences
                 if d[1] - 0.1 * abs(d[1]) <= difference_high and difference_low <= d[2] + 0.1 * abs(d[2])]) = 0
)

select * from final
