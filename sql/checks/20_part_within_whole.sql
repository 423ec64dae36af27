-- grain: one row per part stated larger than the whole it is drawn from
--
-- Three ways an article marks a part:
--   qualified: the part's phrase is a selecting modifier plus the whole's phrase, in the same
--     place (99个重点村 within 275个村; 46个示范村 within 188个行政村). The part is set against
--     the largest such whole the article states for that place, so a smaller whole that is
--     itself a selection never fires.
--   selected: a selection word right before a count of people (14位年轻人脱颖而出 ... 最终4人
--     成为人选), set against the nearest earlier count of people within a few sentences, when
--     the part's sentence tells an outcome and the whole's a pool of candidates.
--   其中: a clause opening with 其中 (全村耕地4200亩,其中流转土地2600亩), set against the largest
--     earlier figure of the same unit in that sentence.
--   中: a clause right after a whole and 中 (在208个社区中,已有186个建成), set against that whole.
-- Approximate figures are read at their most favourable: the part's least against the whole's most.
with figures as (
    select *,
        unit_class(unit) as unit_class,
        sentence_offset as pos,
        -- the words of the figure's clause before it
        regexp_extract(left(sentence, sentence_offset), '[^,，;；:：]*$') as lead,
    from v_fact_bounds
    where kind in ('count', 'measure', 'money') and coalesce(value, value_high) is not null
        and not coalesce(in_title, false) and per is null
),

counts as (
    -- the head noun of a whole: 行政村 and 建制村 are villages, the whole of which 示范村 is a part
    select *, regexp_replace(coalesce(counted, ''), '^(行政|建制)', '') as head
    from figures
    where kind = 'count'
),

qualified as (
    select p.article_id, p.fact_id as part_id, w.fact_id as whole_id, p.surface as part_surface,
        w.surface as whole_surface, p.lo as part_lo, w.hi as whole_hi, p.counted as part_counted,
        w.counted as whole_counted, p.sentence,
        row_number() over (partition by p.fact_id order by w.hi desc) as pick
    from counts as p
    join counts as w
        on p.article_id = w.article_id and p.fact_id <> w.fact_id and p.unit_class = w.unit_class
        and p.place is not distinct from w.place
        and length(w.head) between 1 and 4
        and p.counted like '%' || w.head and length(p.counted) > length(w.head)
    where regexp_matches(left(p.counted, length(p.counted) - length(w.head)),
            '重点|示范|试点|贫困|脱贫|先进|优秀|骨干|困难|特色|其中|样板|标杆|达标')
        and not regexp_matches(w.counted, '重点|示范|试点|贫困|先进|优秀|骨干|样板|标杆|达标')
),

selected as (
    select p.article_id, p.fact_id as part_id, w.fact_id as whole_id, p.surface as part_surface,
        w.surface as whole_surface, p.lo as part_lo, w.hi as whole_hi, p.counted as part_counted,
        w.counted as whole_counted, p.sentence,
        row_number() over (partition by p.fact_id order by w.source_start desc) as pick
    from counts as p
    join counts as w
        on p.article_id = w.article_id and w.source_start < p.source_start
        and p.source_start - w.source_start < 200 and p.unit_class = '人' and w.unit_class = '人'
    where regexp_matches(p.prefix, '(最终|最后|其中|仅|只有|只)$')
        -- the part is an outcome (成为, 入选, 走上 ...) and the whole a pool (报名, 推荐, 脱颖而出 ...)
        and regexp_matches(p.sentence, '成为|入选|当选|选出|选为|录用|确定|走上|胜出|聘用|聘为|留下|获得|进入')
        and regexp_matches(w.sentence, '报名|推荐|脱颖而出|候选|应聘|参选|申请|入围|海选|参加|参与|初选|筛选')
),

among as (
    select p.article_id, p.fact_id as part_id, w.fact_id as whole_id, p.surface as part_surface,
        w.surface as whole_surface, p.lo as part_lo, w.hi as whole_hi, p.counted as part_counted,
        w.counted as whole_counted, p.sentence,
        -- the largest whole before the 其中 clause: a part fails only when it exceeds all of them
        row_number() over (partition by p.fact_id order by w.hi desc) as pick
    from figures as p
    join figures as w
        on p.article_id = w.article_id and p.sentence_start = w.sentence_start
        and w.source_start < p.source_start and p.unit_class = w.unit_class and p.kind = w.kind
        and w.pos < p.pos - length(p.lead)
    -- the part's clause opens with 其中; the whole stands before that clause (the largest: in
    -- 全县党员1.2万名,比上年增加600名,其中女党员2900名 the 1.2万, in 新增农田3.2万亩,其中旱改水1.5万亩
    -- the change itself)
    where regexp_matches(p.lead, '^\s*其中')
),

within as (
    -- 在208个社区中,已有186个建成: the part follows the whole and 中 in the next clause
    select p.article_id, p.fact_id as part_id, w.fact_id as whole_id, p.surface as part_surface,
        w.surface as whole_surface, p.lo as part_lo, w.hi as whole_hi, p.counted as part_counted,
        w.counted as whole_counted, p.sentence, 1 as pick
    from figures as p
    join figures as w
        on p.article_id = w.article_id and p.sentence_start = w.sentence_start
        and w.pos < p.pos and p.unit_class = w.unit_class and p.kind = w.kind
    where contains(p.sentence, '中')
        -- the part counts what the whole counts: it names no noun of its own (已有186个建成), or
        -- the whole's (已有28个村 of 26个村): 126个村 within 18个乡镇 is not a part of them. A measure
        -- word other than a generic one (名, 户, 亩) says the kind itself
        and (p.unit not in ('个', '项', '件', '处', '座', '批', '类') or coalesce(p.counted, '') = ''
            or contains(coalesce(w.counted, ''), p.counted)
            or (regexp_replace(coalesce(w.counted, ''), '中$', '') <> ''
                and ends_with(p.counted, regexp_replace(coalesce(w.counted, ''), '中$', ''))))
        and regexp_matches(substr(p.sentence, w.pos + length(w.surface) + 1, p.pos - w.pos - length(w.surface)),
            '^[^,，;；:：。\d]{0,8}中[,，]\s*(已经|已|共有|共|累计|目前)?有?(达到|达)?$')
),

offending as (
    select * exclude (pick) from qualified where pick = 1 and part_lo > whole_hi
    union
    select * exclude (pick) from within where part_lo > whole_hi
    union
    select * exclude (pick) from selected where pick = 1 and part_lo > whole_hi
    union
    select * exclude (pick) from among where pick = 1 and part_lo > whole_hi
),

final as (
    select
        article_id,
        [part_id, whole_id] as fact_ids,
        printf('%s %s is a part of %s %s, yet larger than it. Sentence: 「%s」',
            part_surface, coalesce(part_counted, ''), whole_surface, coalesce(whole_counted, ''), sentence) as message
    from offending
)

select * from final
