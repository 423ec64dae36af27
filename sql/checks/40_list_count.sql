-- grain: one row per stated count that disagrees with the items listed with it
--
-- 三项改革 after 人员下沉、财力下倾、服务下放; 四级 after A—B—C—D; 6家 after six names; 两个
-- 小程序,一个……一个……. A complete list must hold exactly the stated count; a list closed by 等
-- may hold fewer, never more.
-- A list is not judged when it does not name the counted things themselves: when it modifies
-- them (北京、上海、广州的12名专家), when a verb stands between it and the count (教育、卫生、农业
-- 系统选派5名干部), or when it follows a preposition of origin (从A、B、C中吸纳28名委员).
with listed as (
    select f.article_id, f.fact_id, f.value, f.surface, f.counted, f.prefix, f.sentence,
        e.items, e.partial, e.item_text
    from enumerations as e
    join facts as f using (fact_id)
    where f.value is not null and f.kind = 'count'
),

naming as (
    select *
    from listed
    where not regexp_matches(prefix, '的$')
        -- a verb between the list and the count: the list is where the counted come from
        and not regexp_matches(regexp_replace(item_text, '[了过着]+$', ''),
            '(的|之|中|里|内|选派|派出|抽调|选拔|推荐|招募|吸纳|引进|吸引|带动|走访|帮扶|慰问|覆盖|惠及|涉及|辐射|选出|评出|产生|涌现|来自|动员|组织|培养|发展|共|计|合计|累计)$')
        -- a preposition of origin before the first item: 从A、B、C中, 来自A、B、C
        and not regexp_matches(item_text, '^[^、—/]*(从|来自)')
),

final as (
    select
        article_id,
        [fact_id] as fact_ids,
        printf('%s %s is stated, but %d %s listed%s: %s. Sentence: 「%s」',
            surface, coalesce(counted, ''), items, case when items = 1 then 'item is' else 'items are' end,
            case when partial then ' before 等, which may shorten a list but never lengthen it' else '' end,
            item_text, sentence) as message
    from naming
    where (not partial and items <> value) or (partial and items > value)
)

select * from final
