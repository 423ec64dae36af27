-- grain: one row per "N个<kinds>的M个<things>" that has fewer things than kinds
--
-- 七个方面的20个突出问题: twenty problems sorted into seven areas, so each area holds at least one
-- and M cannot be below N. Judged only when the first noun names a sorting (方面, 领域, 类 ...),
-- not a body that may hold none of the things (3个村的2个合作社). A warning: 的 is loose.
with counts as (
    select *, row_number() over (partition by article_id, sentence_start order by source_start) as n
    from facts
    where kind = 'count' and value is not null and approx is null and not coalesce(in_title, false)
),

pairs as (
    select a.article_id, a.fact_id as kinds_id, b.fact_id as things_id, a.surface as kinds_surface,
        b.surface as things_surface, a.value as kinds, b.value as things, a.counted as kinds_counted,
        b.counted as things_counted, b.sentence
    from counts as a
    join counts as b
        on a.article_id = b.article_id and a.sentence_start = b.sentence_start and b.n = a.n + 1
        -- nothing but the first noun and 的 between the two figures
        and b.source_start = a.source_end + length(a.counted) + 1
        and b.prefix like '%的'
    where regexp_matches(a.counted, '^(方面|领域|类别|大类|类|方向|板块|环节|维度|层面|专题|专项|章节|部分|批次|组别)$')
),

final as (
    select
        article_id,
        [kinds_id, things_id] as fact_ids,
        printf('%s %s sorted into %s %s leaves some %s with none: there should be at least as many as %g. Sentence: 「%s」',
            things_surface, coalesce(things_counted, ''), kinds_surface, kinds_counted, kinds_counted, kinds, sentence) as message
    from pairs
    where things < kinds
)

select * from final
