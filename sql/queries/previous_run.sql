-- grain: at most one row: the run before this one, if it completed and published a snapshot.
-- Runs go one at a time (the run lock), so the run before is the latest other run: by seq, the
-- order the runs started in. Runs recorded before seq existed are ordered by started_at, and a
-- tie there with another run means the order is not known: nothing is returned.
with others as (
    select run_id, status, snapshot_id, checks_sha256, started_at, seq
    from runs
    where run_id != $run_id
),

latest as (
    select * from others order by seq desc nulls last, started_at desc limit 1
)

select l.run_id, l.checks_sha256
from latest as l
where l.status = 'completed' and l.snapshot_id is not null
    and (l.seq is not null or (select count(*) from others as o where o.started_at >= l.started_at) = 1)
