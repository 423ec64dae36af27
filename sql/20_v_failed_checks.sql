-- grain: one row per failed check of the latest run and each fact it names
create or replace view v_failed_checks as
with last_run as (
    select run_id from runs where status = 'completed' order by seq desc nulls last, started_at desc limit 1
),

failed as (
    select c.*
    from checks as c
    where c.status = 'fail' and c.run_id in (select run_id from last_run)
),

by_fact as (
    select failed.run_id, failed.check_id, failed.rule, failed.severity, failed.article_id, failed.message,
        unnest(case when len(failed.fact_ids) = 0 then [null] else failed.fact_ids end) as fact_id
    from failed
),

final as (
    select
        b.run_id,
        b.check_id,
        b.rule,
        b.severity,
        b.message,
        coalesce(b.article_id, f.article_id) as article_id,
        b.fact_id,
        f.surface,
        f.value,
        f.sentence
    from by_fact as b
    left join facts as f using (fact_id)
)

select * from final;
