-- grain: one row per run, newest first (in the order the runs started: seq, then the clock for
-- runs recorded before seq), with its duration
create or replace view v_runs as
with final as (
    select
        *,
        date_diff('millisecond', started_at, finished_at) / 1000.0 as seconds
    from runs
)

select * from final order by seq desc nulls last, started_at desc;
