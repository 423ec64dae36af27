-- grain: one row per list of shares (分别占40%、35%、30%) that adds up to more than the whole
--
-- The shares follow 分别占, 占比分别为 or 比重分别为 and each other with only 、 和 及 与 or a
-- comma between them. Each may be rounded, so the list fails above 100% plus half a point per
-- share. Warning: the items of a list may overlap (党员和干部分别占60%和50%), though those of such
-- a list seldom do.
with figures as (
    select *, sentence_offset + length(surface) as end_offset
    from v_fact_bounds
    where kind = 'percent' and unit = '%' and value is not null and not coalesce(in_title, false)
),

firsts as (
    select *
    from figures
    where regexp_matches(left(sentence, sentence_offset),
        '(分别占[^,，;；:：。\d%]{0,8}|(占比|比重|比例)分别(为|是|达到|达)?|分别占比(为|是)?)$')
),

lists as (
    select f.article_id, f.fact_id as first_id, f.sentence,
        list(o.fact_id order by o.sentence_offset) as fact_ids,
        list(o.surface order by o.sentence_offset) as surfaces,
        sum(o.lo) as total_low,
        count(*) as shares
    from firsts as f
    join figures as o
        on o.article_id = f.article_id and o.sentence_start = f.sentence_start
        and o.sentence_offset >= f.sentence_offset
        -- only shares and the marks that join them between the first and this one
        and regexp_matches(substr(f.sentence, f.sentence_offset + 1, o.sentence_offset - f.sentence_offset),
            '^([\d.]+%|[、和及与,，]|\s|约|近|超过|不到)*$')
    group by all
),

final as (
    select
        article_id,
        fact_ids,
        printf('the shares %s add up to %g%%, more than the whole. Sentence: 「%s」',
            array_to_string(surfaces, ', '), total_low, sentence) as message
    from lists
    where shares >= 2 and total_low > 100 + 0.5 * shares
)

select * from final
