-- grain: one row per pair of neighbouring counts in one sentence whose ratio leaves the band set for their pair
--
-- Two counts are a pair when they stand next to each other in a sentence, either in one clause
-- (在275个村建立党支部549个, 18万多个基层党组织、400多万名党员, 7批次626名) or across a clause
-- boundary when the second stands alone in its clause (开办托管班3600余个,服务儿童超过14万人次;
-- 下设4个支部、11个党小组,共有135名党员). Two clauses that each hold a pair of their own
-- (在55个社区建立……637个,在275个村建立……549个) are not paired across. When the second is
-- drawn from the first (3个党支部的5名党员) it may be any part of it, so only the band's top
-- applies. Figures stated as a change (新增, 新发展, 增加 ...) are flows, and their ratio says
-- nothing.
--
-- A pair is judged against the most specific band of ref_ratio_bands whose head nouns
-- (alternatives split by |, one of which ends the counted phrase) and units (alternatives, one
-- of which is the unit) fit it. Approximate figures are read at their most favourable: the pair
-- fails only when no reading of 多/余/近/约 brings it into the band (超过 and 以上 with no stated
-- step are read as up to twice the figure).
with counts as (
    -- 超过14万 with no stated step: a writer with twice the figure would have said so
    select * replace (case when isinf(hi) then 2 * value else hi end as hi),
        sentence_offset as pos
    from v_fact_bounds
    where kind = 'count' and coalesce(value, value_high) > 0 and not coalesce(in_title, false)
),

placed as (
    select *,
        row_number() over (partition by article_id, sentence_start order by source_start) as n,
        -- the clause of the sentence the figure stands in, and the words of that clause before it
        -- (the separators before it, counted by deleting them: a global regexp_replace cost 4x)
        length(left(sentence, pos)) - length(translate(left(sentence, pos), ',，;；:：', '')) as clause,
        regexp_extract(left(sentence, pos), '[^,，;；:：]*$') as lead
    from counts
),

clauses as (
    select *, count(*) over (partition by article_id, sentence_start, clause) as in_clause
    from placed
),

neighbours as (
    select a.article_id, a.fact_id as a_id, b.fact_id as b_id, a.sentence,
        a.lo as a_lo, a.hi as a_hi, b.lo as b_lo, b.hi as b_hi, a.surface as a_surface, b.surface as b_surface,
        coalesce(a.counted, '') as a_counted, coalesce(b.counted, '') as b_counted,
        coalesce(a.unit, '') as a_unit, coalesce(b.unit, '') as b_unit,
        -- 2个合作社的5名社员: the second is drawn from the first, so only the band's top applies
        b.lead like '%' || coalesce(a.counted, '') || '的' and b.pos - a.pos - length(a.surface) = length(coalesce(a.counted, '')) + 1 as drawn
    from clauses as a
    join clauses as b
        on a.article_id = b.article_id and a.sentence_start = b.sentence_start and b.n = a.n + 1
    where (a.clause = b.clause or b.in_clause = 1)
        -- 每个党小组的党员都超过6人: a size of each, which no neighbour is a count of
        and a.per is null and b.per is null
        and not regexp_matches(a.lead || '|' || b.lead, '新增|新建|新发展|新成立|新组建|增加|减少|增长|下降|提高|提升|净增')
),

-- both readings of a pair: a per b and b per a
oriented as (
    select article_id, b_id as num_id, a_id as den_id, b_surface as num_surface, a_surface as den_surface,
        b_counted as num_counted, a_counted as den_counted, b_unit as num_unit, a_unit as den_unit,
        b_lo as num_lo, b_hi as num_hi, a_lo as den_lo, a_hi as den_hi, sentence, drawn
    from neighbours
    union all
    select article_id, a_id, b_id, a_surface, b_surface, a_counted, b_counted, a_unit, b_unit,
        a_lo, a_hi, b_lo, b_hi, sentence, drawn
    from neighbours
),

banded as (
    select p.*, r.min_ratio, r.max_ratio, r.note,
        -- the words the band was matched on, to name the pair in the message
        coalesce([x for x in string_split(r.numerator, '|') if ends_with(p.num_counted, x)][1], p.num_unit) as num_noun,
        coalesce([x for x in string_split(r.denominator, '|') if ends_with(p.den_counted, x)][1], p.den_unit) as den_noun,
        row_number() over (
            partition by p.num_id, p.den_id
            order by (r.numerator is not null)::int + (r.numerator_unit is not null)::int
                + (r.denominator is not null)::int + (r.denominator_unit is not null)::int desc,
                length(coalesce(r.numerator, '') || coalesce(r.denominator, '')) desc
        ) as specificity
    from oriented as p
    join ref_ratio_bands as r
        on (r.numerator is null or len([x for x in string_split(r.numerator, '|') if ends_with(p.num_counted, x)]) > 0)
        and (r.numerator_unit is null or list_contains(string_split(r.numerator_unit, '|'), p.num_unit))
        and (r.denominator is null or len([x for x in string_split(r.denominator, '|') if ends_with(p.den_counted, x)]) > 0)
        and (r.denominator_unit is null or list_contains(string_split(r.denominator_unit, '|'), p.den_unit))
),

judged as (
    select *,
        num_lo / den_hi as ratio_low,
        case when den_lo > 0 then num_hi / den_lo else 'infinity'::double end as ratio_high
    from banded
    where specificity = 1
),

final as (
    select
        article_id,
        [den_id, num_id] as fact_ids,
        printf('%s %s against %s %s is %s %s per %s, outside the band of %g to %g set for %s per %s (%s). Sentence: 「%s」',
            num_surface, num_counted, den_surface, den_counted,
            case when ratio_high <= 1.000001 * ratio_low then printf(case when ratio_low >= 100 then '%.0f' else '%.3g' end, ratio_low)
                 else printf(case when ratio_low >= 100 then '%.0f to %.0f' else '%.3g to %.3g' end, ratio_low, ratio_high) end,
            num_noun, den_noun, min_ratio, max_ratio, num_noun, den_noun, note, sentence) as message
    from judged
    where (ratio_high < min_ratio and not drawn) or ratio_low > max_ratio
)

select * from final
