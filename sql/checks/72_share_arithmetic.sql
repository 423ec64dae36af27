-- grain: one row per stated share that its part and whole, both stated, contradict
--
-- 全乡共有党员860名,其中女党员215名,占25%: the share (占, 占比, 占…总数的) stands right after its
-- part; the part's clause opens with 其中, and the whole is the nearest figure of the same kind
-- and unit before that clause, in the same sentence (the whole of 其中, as in part_within_whole).
-- A share listed with others (分别占) is left to share_total. Approximate values are read at
-- their most favourable; the stated share may be off by a percentage point plus 5% of itself,
-- for rounding.
with figures as (
    select *,
        case when unit in ('人', '名', '位', '人员') then '人' else unit end as unit_class,
        sentence_offset + length(surface) as end_offset,
        -- the words of the figure's clause before it
        regexp_extract(left(sentence, sentence_offset), '[^,，;；:：]*$') as lead
    from v_fact_bounds
    where coalesce(value, value_low, value_high) is not null and not coalesce(in_title, false) and per is null
),

shares as (
    select s.article_id, s.fact_id as share_id, s.surface as share_surface, s.lo as share_lo, s.hi as share_hi,
        s.value as share_value, s.sentence, s.sentence_start, p.fact_id as part_id, p.surface as part_surface,
        p.lo as part_lo, p.hi as part_hi, p.kind, p.unit_class, p.sentence_offset as part_pos, p.lead as part_lead,
        substr(s.sentence, p.end_offset + 1, s.sentence_offset - p.end_offset) as gap,
        row_number() over (partition by s.fact_id order by p.sentence_offset desc) as nearest
    from figures as s
    join figures as p
        on p.article_id = s.article_id and p.sentence_start = s.sentence_start and p.end_offset <= s.sentence_offset
    where s.kind = 'percent' and s.unit = '%' and p.kind in ('count', 'money', 'measure')
),

parts as (
    select *
    from shares
    where nearest = 1 and regexp_matches(part_lead, '^\s*其中')
        -- 占, 占比, or 占 a total (占党员总数的); a named whole (占全县脱贫户的) may be another whole
        and regexp_matches(gap, '^[,，]?\s*(约|共|合计|仅)?占(比|比重|比例|[^,，;；:：。\d%分全省市县区镇乡村国]{0,8}总(数|量|额|面积|人数|户数|人口|规模)的(比重|比例)?)?(为|达到|达|约|到|了)?$')
),

wholes as (
    select p.*, w.fact_id as whole_id, w.surface as whole_surface, w.lo as whole_lo, w.hi as whole_hi,
        row_number() over (partition by p.share_id order by w.sentence_offset desc) as nearest_whole
    from parts as p
    join figures as w
        on w.article_id = p.article_id and w.sentence_start = p.sentence_start and w.kind = p.kind
        and w.unit_class = p.unit_class and w.end_offset <= p.part_pos - length(p.part_lead)
),

judged as (
    select *,
        case when whole_hi > 0 then 100 * part_lo / whole_hi end as share_low,
        case when whole_lo > 0 then 100 * part_hi / whole_lo else 'infinity'::double end as share_high,
        1 + 0.05 * share_value as slack
    from wholes
    where nearest_whole = 1 and whole_hi > 0
),

final as (
    select
        article_id,
        [part_id, whole_id, share_id] as fact_ids,
        printf('%s of %s is %s, not %s. Sentence: 「%s」',
            part_surface, whole_surface,
            case when share_low = share_high then printf('%.1f%%', share_low)
                 else printf('%.1f%% to %.1f%%', share_low, least(share_high, 1e9)) end,
            share_surface, sentence) as message
    from judged
    where share_high < share_lo - slack or share_low > share_hi + slack
)

select * from final
