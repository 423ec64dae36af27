-- grain: one row per 其中 list whose parts add up to more than the whole before it
--
-- 全县共有基层党组织1500个,其中党委120个、党总支80个、党支部1300个: the parts start at the first
-- figure after 其中 and are joined by 、 和 及 与 in one clause (an enumeration, which splits
-- its whole); the whole is the largest figure of the same kind and unit before 其中, in the same
-- sentence (总里程3200公里,比上年增加300公里,其中…: the 3200). A split
-- whose parts cannot overlap is always summed: by sex, by level (中央/省级/市级), town and country,
-- public and private, tax and non-tax. Other lists are not summed when they may be traits that
-- overlap: parts that end with the whole's head noun (党员56名,其中女党员12名、35岁以下党员20名),
-- or that name an age, schooling, sex or standing (女性, 大专以上学历, 致富能手, 省级示范社).
-- Approximate figures are read at their most favourable, and each figure may be off by half a
-- step of its last written digit.
with figures as (
    -- whole and parts stand in one sentence with a 其中
    select * from v_fact_among where kind in ('count', 'measure', 'money')
),

firsts as (
    -- the first figure after 其中
    select f.*, f.sentence_offset - length(f.since_among) as among_pos
    from figures as f
    where f.since_among <> ''
        and not exists (
            select 1 from figures as g
            where g.article_id = f.article_id and g.sentence_start = f.sentence_start
                and g.sentence_offset >= f.sentence_offset - length(f.since_among) and g.end_offset <= f.sentence_offset)
),

parts as (
    -- the first part and the figures joined to it in its clause: of its kind and unit, with no
    -- other figure between
    select f.fact_id as first_id, o.*
    from firsts as f
    join figures as o
        on o.article_id = f.article_id and o.sentence_start = f.sentence_start
        and o.sentence_offset >= f.sentence_offset and o.kind = f.kind and o.unit_class = f.unit_class
    where o.fact_id = f.fact_id
        or (regexp_matches(substr(f.sentence, f.end_offset + 1, o.sentence_offset - f.end_offset), '[、和及与]')
            and not regexp_matches(substr(f.sentence, f.end_offset + 1, o.sentence_offset - f.end_offset),
                '[,，;；:：。!?！？]|分别|占')
            and not exists (
                select 1 from v_fact_readings as g
                where contains(g.sentence, '其中') and g.article_id = o.article_id and g.sentence_start = o.sentence_start
                    and g.sentence_offset > f.sentence_offset and g.sentence_offset < o.sentence_offset
                    and (g.kind <> o.kind or g.unit is distinct from o.unit)))
),

lists as (
    select first_id, list(fact_id order by sentence_offset) as part_ids,
        list(surface order by sentence_offset) as part_surfaces, list(counted) as part_counted,
        -- the words of each part's item: 党委 of 其中党委120个, else its phrase (120个党委)
        list(coalesce(nullif(regexp_replace(regexp_extract(lead, '[^、和及与]*$'), '^\s*其中[,，]?', ''), ''),
                      counted, '')) as items,
        sum(lo) as parts_low, sum(half_step) as parts_rounding, count(*) as n
    from parts
    group by first_id
),

wholes as (
    select l.*, f.article_id, f.sentence, w.fact_id as whole_id, w.surface as whole_surface,
        w.counted as whole_counted, w.hi as whole_hi, w.half_step as whole_rounding,
        row_number() over (partition by l.first_id order by w.hi desc) as nearest  -- the largest first
    from lists as l
    join firsts as f on f.fact_id = l.first_id
    join figures as w
        on w.article_id = f.article_id and w.sentence_start = f.sentence_start and w.kind = f.kind
        and w.unit_class = f.unit_class and w.end_offset <= f.among_pos
    where l.n >= 2
),

judged as (
    -- set against the largest whole before 其中 (户籍人口 or 常住人口: the parts may be of either)
    select *, max(whole_hi + whole_rounding) over (partition by first_id) as most_whole,
        -- each part's opening word in the first family all parts open with, or ''
        coalesce(
            [f for f in [
                [regexp_extract(w, '^(男|女)', 1) for w in items],
                [regexp_extract(w, '^(中央|国家级?|省级?|市级?|县级?|区级|乡镇级?|乡级|镇级|村级)', 1) for w in items],
                [regexp_extract(w, '^(城镇|城市|城区|乡村|农村)', 1) for w in items],
                [regexp_extract(w, '^(公办|民办|国有|民营|私营)', 1) for w in items],
                [regexp_extract(w, '^(税收|非税)', 1) for w in items]]
             if len([x for x in f if x = '']) = 0][1], []) as split_families
    from wholes
),

final as (
    select
        article_id,
        [whole_id] || part_ids as fact_ids,
        printf('the parts %s add up to %g, more than the whole %s %s. Sentence: 「%s」',
            array_to_string(part_surfaces, ', '), parts_low, whole_surface, coalesce(whole_counted, ''),
            sentence) as message
    from judged
    where nearest = 1
        and parts_low > most_whole + parts_rounding
        and (
            -- a split whose parts cannot overlap: each part opens with another member of one family
            -- (sex, level, town and country, public and private, tax and non-tax) and none is open-
            -- ended (省级以上 includes 国家级): 其中男党员4400名、女党员1300名; 其中中央资金1.5亿元、
            -- 省级资金8000万元
            (len([w for w in items if regexp_matches(w, '以上|以下')]) = 0
             and len([p for p in split_families if p <> '']) = n and len(list_distinct(split_families)) = n)
            -- otherwise no part may repeat the whole's head noun (女党员 of 党员), nor name a trait
            -- or a standing that cuts across the others (大专以上学历, 致富能手, 省级示范社)
            or ((whole_counted is null
                    or len([c for c in part_counted if c is not null and suffix(c, right(whole_counted, 2))]) = 0)
                and len([w for w in items || part_counted
                         if regexp_matches(coalesce(w, ''), '女|男|岁|以上|以下|学历|大专|本科|党员|团员|退役|军人|少数民族|带头人|能手|青年|妇女|老年|残疾|示范|重点|省级|市级|国家级|龙头')]) = 0))
)

select * from final
