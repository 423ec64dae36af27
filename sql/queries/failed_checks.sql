-- grain: one row per failed check of one run (the latest completed run when the parameter is null)
with chosen_run as (
    select coalesce(
        ?,
        (select run_id from runs where status = 'completed' order by seq desc nulls last, started_at desc limit 1)
    ) as run_id
),

failed as (
    select row_number() over () as n, c.*
    from checks as c
    where c.status = 'fail' and c.run_id = (select run_id from chosen_run)
        and (? is null or c.severity = ?)
),

-- a check that names no article is placed with the first article among its facts
named_facts as (
    select n, unnest(fact_ids) as fact_id
    from failed
    where article_id is null
),

first_article as (
    select nf.n, min(x.article_id) as article_id
    from named_facts as nf
    inner join facts as x on x.fact_id = nf.fact_id
    group by nf.n
),

final as (
    select
        f.check_id,
        f.severity,
        f.message,
        f.fact_ids,
        coalesce(f.article_id, fa.article_id) as article_id,
        a.title,
        a.source_path
    from failed as f
    left join first_article as fa on fa.n = f.n
    left join articles as a on a.article_id = coalesce(f.article_id, fa.article_id)
)

select * from final order by source_path nulls last, article_id, severity, check_id, message
