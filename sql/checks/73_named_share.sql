-- grain: one row per share that names its whole (占党员总数的35%) which no stated whole fits
--
-- 全乡共有党员860名。…女党员215名,占党员总数的35%: the part is the figure right before 占,
-- the whole a figure stated earlier in the article (in an earlier sentence, or earlier in the
-- same one) of the same kind, unit, place and year, whose noun is the named one (党员 of
-- 党员总数, 耕地 of 耕地总面积, 耕地面积 of 耕地面积; not 女党员, a part of 党员). The share
-- fails when wholes so named are stated and it fits none of them. Shares of a 其中 part, which share_arithmetic reads against
-- the wholes of their own sentence, are left to it; so are shares that name no noun (占总数的).
-- Approximate values are read at their most favourable, each value may be off by half a step
-- of its last written digit, and the share by a percentage point plus 5% of itself.
with shares as (
    select article_id, fact_id, surface, lo, hi, value, sentence, sentence_start, sentence_offset,
        place, year,
        regexp_extract(left(sentence, sentence_offset),
            '[,，]\s*(约|共|合计|仅)?(所占|占)[^,，;；:：。\d%]{1,14}的(比重|比例)?(为|达到|达|约|到|了|是)?$') as gap
    from v_fact_bounds
    -- cheap tests before the regex
    where kind = 'percent' and unit = '%' and contains(sentence, '占') and contains(sentence, '的')
        and not coalesce(in_title, false) and per is null and coalesce(value, value_low, value_high) is not null
),

named as (
    select *,
        -- the whole's noun (党员 of 占全县党员总数的), and the place it names: a whole of
        -- 占全县党员总数的 is stated of 全县
        named_whole(gap) as whole_noun,
        named_scope(gap) as whole_scope
    from shares
    where gap <> ''
),

figures as (
    -- the figures of the articles with such a share: the parts and wholes
    select *,
        unit_class(unit) as unit_class,
        sentence_offset + length(surface) as end_offset
    from v_fact_readings
    where article_id in (select article_id from named where length(whole_noun) >= 2)
        and coalesce(value, value_low, value_high) is not null and not coalesce(in_title, false)
        and per is null
),

parts as (
    -- the figure right before the share, unless its clause opens with 其中 (share_arithmetic's)
    select s.*, p.fact_id as part_id, p.surface as part_surface, p.lo as part_lo, p.hi as part_hi,
        p.half_step as part_step, p.kind as part_kind, p.unit_class, p.source_start as part_start,
        regexp_extract(regexp_extract(left(p.sentence, p.sentence_offset), '[^。]*$'),
            '([^\s,，;；:：。、的在全该本我其]{1,4}(镇|乡|村|社区|街道))', 1) as part_scope
    from named as s
    join figures as p
        on p.article_id = s.article_id and p.sentence_start = s.sentence_start
        and p.end_offset = s.sentence_offset - length(s.gap)
    where length(s.whole_noun) >= 2 and p.kind in ('count', 'money', 'measure')
        and not regexp_matches(regexp_extract(left(p.sentence, p.sentence_offset), '[^,，;；:：]*$'), '^\s*其中')
),

wholes as (
    select p.*, w.fact_id as whole_id, w.surface as whole_surface, w.lo as whole_lo, w.hi as whole_hi,
        w.half_step as whole_step, w.source_start as whole_start
    from parts as p
    join figures as w
        on w.article_id = p.article_id and w.source_start < p.part_start and w.kind = p.part_kind
        and w.unit_class = p.unit_class and w.place is not distinct from p.place
        -- of one time: a whole dated otherwise than the part is not its whole (2019年,全县共有
        -- 党员2.1万名。目前…); an undated whole is the current one
        and (w.year is null or w.year = p.year)
        and not w.is_change and length(w.counted) >= 2
        -- the whole's noun is the named one, or one names the other with a measure after it
        -- (党员 and 党员人数, 耕地 and 耕地面积); 女党员 is a part of 党员, 党员干部 another thing
        and (starts_with(p.whole_noun, w.counted) or starts_with(w.counted, p.whole_noun))
        and regexp_matches(
            case when length(p.whole_noun) > length(w.counted) then substr(p.whole_noun, length(w.counted) + 1)
                 else substr(w.counted, length(p.whole_noun) + 1) end,
            '^(面积|人数|数量|总量|规模|人口|户数|数|量)?$')
        -- the scopes are read in the words before the whole, not in its whole sentence, which may
        -- be the share's own (全县耕地面积68万亩,石桥镇流转耕地2.4万亩,占该镇耕地面积的62%)
        and scope_stated(left(w.sentence, w.sentence_offset), p.whole_scope)
        -- a town or village the part's clause names (在城关镇,女党员215名), unknown to the
        -- gazetteer, is a scope the whole's words must name too
        and (p.part_scope = '' or contains(left(w.sentence, w.sentence_offset), p.part_scope))
    where w.hi > 0
),

judged as (
    select *,
        share_low(part_lo, part_step, whole_hi, whole_step) as share_low,
        share_high(part_hi, part_step, whole_lo, whole_step) as share_high,
        1 + 0.05 * value as slack
    from wholes
),

offending as (
    -- named with the latest whole stated before the part, and only when no whole fits
    select *
    from judged
    qualify bool_and(share_high < lo - slack or share_low > hi + slack) over (partition by fact_id)
        and row_number() over (partition by fact_id order by whole_start desc) = 1
)

select
    article_id,
    [part_id, whole_id, fact_id] as fact_ids,
    printf('%s of %s is %s, not %s. Sentence: 「%s」',
        part_surface, whole_surface,
        share_text(share_low, share_high),
        surface, sentence) as message
from offending
