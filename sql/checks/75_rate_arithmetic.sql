-- grain: one row per rate (本科上线率53.8%) that its part and no whole before it make
--
-- 参加高考8960人,本科上线4816人,本科上线率53.8%: a percentage whose phrase is a noun plus 率
-- (本科上线率) is the share of the figure before it that counts that noun (本科上线4816人) in a
-- whole stated before that part in the sentence, of the same kind and unit. The rate fails when
-- no such whole makes it, by more than half a percentage point plus 2% of itself after rounding;
-- approximate values are read at their most favourable. Rates of a change (增长率) and rates of
-- things not counted in the sentence are not read.
with rates as (
    select *, left(counted, length(counted) - 1) as stem
    from v_fact_bounds
    -- cheap tests before anything else
    where kind = 'percent' and unit = '%' and ends_with(counted, '率') and length(counted) >= 3
        and not regexp_matches(counted, '(增长|增|降|涨|下降|回落|提高)率$')
        and not coalesce(in_title, false) and coalesce(value, value_low, value_high) is not null
),

figures as (
    select *,
        unit_class(unit) as unit_class,
        sentence_offset + length(surface) as end_offset
    from v_fact_readings
    where sentence_start in (select sentence_start from rates) and article_id in (select article_id from rates)
        and kind in ('count', 'money', 'measure') and coalesce(value, value_low, value_high) is not null
        and per is null and not coalesce(in_title, false)
),

parts as (
    -- the part: the nearest figure before the rate that counts its noun (本科上线 of 本科上线率)
    select r.article_id, r.fact_id as rate_id, r.surface as rate_surface, r.lo as rate_lo, r.hi as rate_hi,
        r.value as rate_value, r.sentence, p.fact_id as part_id, p.surface as part_surface, p.lo as part_lo,
        p.hi as part_hi, p.half_step as part_step, p.sentence_offset as part_pos, p.kind, p.unit_class,
        p.sentence_start, p.counted as part_counted, r.stem
    from rates as r
    join figures as p
        on p.article_id = r.article_id and p.sentence_start = r.sentence_start
        and p.end_offset <= r.sentence_offset and p.counted is not null
        and (p.counted = r.stem or ends_with(p.counted, r.stem) or ends_with(r.stem, p.counted))
        and length(p.counted) >= 2
    qualify row_number() over (partition by r.fact_id order by p.sentence_offset desc) = 1
),

judged as (
    select p.*, w.fact_id as whole_id, w.surface as whole_surface,
        share_low(p.part_lo, p.part_step, w.hi, w.half_step) as made_low,
        share_high(p.part_hi, p.part_step, w.lo, w.half_step) as made_high,
        0.5 + 0.02 * p.rate_value as slack,
        row_number() over (partition by p.rate_id order by w.sentence_offset desc) as nearest
    from parts as p
    join figures as w
        on w.article_id = p.article_id and w.sentence_start = p.sentence_start
        and w.end_offset <= p.part_pos and w.kind = p.kind and w.unit_class = p.unit_class
    where w.hi > 0
        -- a whole that is the rate's pool: those who took part, were inspected or surveyed
        -- (参加高考8960人, 抽检2860批次, 回访群众2400人, 适龄儿童4860人), or a whole whose phrase
        -- shares a word with the part's or the rate's (应届高校毕业生 of 就业率 after 已就业; 农村考生
        -- of 普高录取率 after 农村考生普高录取). Not the new homes of which some were inspected
        -- (验收合格率), the employed of which some were graduates (毕业生就业率), those who applied
        -- of whom some passed the interview (面试通过率)
        and (regexp_matches(regexp_extract(left(w.sentence, w.sentence_offset), '[^,，;；:：]*$') || coalesce(w.counted, ''), '参加|参考|参检|参评|抽检|抽查|抽测|检测|检查|监测|回访|调查|测评|应届|适龄|受理|应(出勤|到|参)')
            or len(list_filter(range(1, greatest(length(coalesce(w.counted, '')), 1)),
                    lambda i: contains(coalesce(p.part_counted, '') || '|' || p.stem, substr(w.counted, i, 2)))) > 0)
),

offending as (
    select *
    from judged
    qualify bool_and(made_high < rate_lo - slack or made_low > rate_hi + slack) over (partition by rate_id)
        and nearest = 1
)

select
    article_id,
    [part_id, whole_id, rate_id] as fact_ids,
    printf('%s of %s is %s, not %s. Sentence: 「%s」',
        part_surface, whole_surface,
        share_text(made_low, made_high),
        rate_surface, sentence) as message
from offending
