-- grain: one row per stated share that its part and whole, both stated, contradict
--
-- 全乡共有党员860名,其中女党员215名,占25%: the share (占, 占比, 所占比例为, 占党员总数的) stands
-- right after its part; the part is the first figure after 其中, and the whole a figure of the
-- same kind and unit before 其中, in the same sentence: the share fails when it fits none of
-- them (so a change before 其中, 新增市场主体5600户,其中新增企业1200户, may be the whole), and is
-- named with the nearest.
-- A share that names its whole is read only when that name is in the whole's own noun (占党员总数的
-- of 党员, 占耕地面积的 of 耕地面积; not 占劳动力总数的 of 户籍人口); shares listed together (分别占) are not read. Apart
-- from any part, a share of a whole (占, 占…的) above 100% fails, unless its whole is a plan, a
-- task, a target, a budget, an earlier period or an average (占年度计划的112%, 占上年同期的120%,
-- 占全省平均水平的105%, 占常年的130%). Approximate values are read at their most favourable,
-- each value may be off by half a step of its last written digit, and the stated share by a
-- percentage point plus 5% of itself.
with figures as (
    -- part, whole and share stand in one sentence with a 其中
    select * from v_fact_among
),

shares as (
    select s.article_id, s.fact_id as share_id, s.surface as share_surface, s.lo as share_lo, s.hi as share_hi,
        s.value as share_value, s.sentence, s.sentence_start, p.fact_id as part_id, p.surface as part_surface,
        p.lo as part_lo, p.hi as part_hi, p.half_step as part_step, p.kind, p.unit_class,
        p.sentence_offset as part_pos, p.sentence_offset - length(p.since_among) as among_pos, p.since_among,
        substr(s.sentence, p.end_offset + 1, s.sentence_offset - p.end_offset) as gap,
        row_number() over (partition by s.fact_id order by p.sentence_offset desc) as nearest
    from figures as s
    join figures as p
        on p.article_id = s.article_id and p.sentence_start = s.sentence_start and p.end_offset <= s.sentence_offset
    where s.kind = 'percent' and s.unit = '%' and p.kind in ('count', 'money', 'measure')
),

parts as (
    select *,
        -- the noun a share names as its whole (党员 of 占党员总数的), and the place it names: a share
        -- of 占全市…的 is not of the county's whole before 其中
        named_whole(gap) as named,
        named_scope(gap) as scope
    from shares
    -- the part is the first figure after 其中 (in 其中A12个、B8个,占6.25% the share is of both)
    where nearest = 1 and since_among <> ''
        and not exists (
            select 1 from figures as g
            where g.article_id = shares.article_id and g.sentence_start = shares.sentence_start
                and g.kind in ('count', 'money', 'measure')
                and g.sentence_offset >= shares.among_pos and g.end_offset <= shares.part_pos)
        and regexp_matches(gap, '^[,，]?\s*(约|共|合计|仅)?(所占|占)(比|比重|比例|[^,，;；:：。\d%分]{1,12}的(比重|比例)?)?(为|达到|达|约|到|了|是)?$')
),

wholes as (
    select p.*, w.fact_id as whole_id, w.surface as whole_surface, w.lo as whole_lo, w.hi as whole_hi,
        w.half_step as whole_step, w.counted as whole_counted, w.is_change as whole_is_change,
        row_number() over (partition by p.share_id order by w.sentence_offset desc) as nearest_whole
    from parts as p
    join figures as w
        on w.article_id = p.article_id and w.sentence_start = p.sentence_start and w.kind = p.kind
        and w.unit_class = p.unit_class and w.end_offset <= p.among_pos
),

judged as (
    select *,
        share_low(part_lo, part_step, whole_hi, whole_step) as share_low,
        share_high(part_hi, part_step, whole_lo, whole_step) as share_high,
        1 + 0.05 * share_value as slack
    from wholes
    where whole_hi > 0
        -- the named whole is the whole's noun, or that noun with a measure (耕地 of 耕地面积); not
        -- a noun that qualifies it (企业 of 规上工业企业)
        and (named = '' or contains(coalesce(whole_counted, ''), named)
            -- 占新发展党员总数的 of 新发展党员46名, whose phrase lost its 新发展
            or (whole_is_change and contains(coalesce(whole_counted, ''), regexp_replace(named, '^(新增|新发展|净增|新)', '')))
            or (length(whole_counted) >= 2 and starts_with(named, whole_counted)
                and regexp_matches(substr(named, length(whole_counted) + 1), '^(面积|人数|数量|总量|规模|人口|户数|数|量)?$')))
        and scope_stated(left(sentence, among_pos), scope)
        -- a total (占党员总数的) is not a change (新发展党员46名,其中女党员20名,占党员总数的2.3%),
        -- unless the total named is of the change (占新发展党员总数的)
        and not (whole_is_change and regexp_matches(gap, '占[^,，;；:：。\d%]*总')
                 and not regexp_matches(named, '新增|新发展|净增|新'))
),

offending as (
    -- judged against the nearest whole, and only when no other whole before 其中 fits either
    -- (户籍人口86万人,常住人口72万人,其中60岁及以上人口15.8万人,占18.4%: of the 86万)
    select *
    from judged
    qualify nearest_whole = min(nearest_whole) over (partition by share_id)
        and bool_and(share_high < share_lo - slack or share_low > share_hi + slack) over (partition by share_id)
),

above_whole as (
    -- 占党员总数的120%: more than the whole, whatever the part
    select article_id, fact_id, surface, sentence
    from v_fact_readings
    where kind = 'percent' and unit = '%' and lo > 100 and contains(sentence, '占')
        and not coalesce(in_title, false)
        and regexp_matches(left(sentence, sentence_offset),
            '(所占|占)(了|到)?([^,，;；:：。\d%]{0,12}的)?(比重|比例)?(为|达到|达|约|到|了|是)?$')
        and not regexp_matches(regexp_extract(left(sentence, sentence_offset), '占[^,，;；:：。]*$'),
            '^占(地|用)|计划|任务|目标|预算|指标|进度|下达|同期|上年|去年|前年|常年|历史|平均|水平|标准|存款|应')
),

final as (
    select
        article_id,
        [part_id, whole_id, share_id] as fact_ids,
        printf('%s of %s is %s, not %s. Sentence: 「%s」',
            part_surface, whole_surface,
            share_text(share_low, share_high),
            share_surface, sentence) as message
    from offending
    union all
    select article_id, [fact_id], printf('%s is a share of a whole, yet above 100%%. Sentence: 「%s」', surface, sentence)
    from above_whole
)

select * from final
