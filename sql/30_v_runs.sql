-- grain: one row per run, newest first, with its duration
create or replace view v_runs as
with final as (
    select
        *,
        date_diff('millisecond', started_at, finished_at) / 1000.0 as seconds
    from runs
)

select * from final order by started_at desc;
