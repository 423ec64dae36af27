-- grain: one row per failed check of one run (the latest completed run when the parameter is null)
with chosen_run as (
    select coalesce(
        ?,
        (select run_id from runs where status = 'completed' order by started_at desc limit 1)
    ) as run_id
),

failed as (
    select c.*
    from checks as c
    where c.status = 'fail' and c.run_id = (select run_id from chosen_run)
        and (? is null or c.severity = ?)
),

final as (
    select
        f.check_id,
        f.severity,
        f.message,
        f.fact_ids,
        coalesce(f.article_id, (select min(x.article_id) from facts as x where list_contains(f.fact_ids, x.fact_id))) as article_id,
        a.title,
        a.source_path
    from failed as f
    left join articles as a
        on a.article_id = coalesce(f.article_id, (select min(x.article_id) from facts as x where list_contains(f.fact_ids, x.fact_id)))
)

select * from final order by source_path nulls last, article_id, severity, check_id
