-- grain: at most one row: the run before this one, if it completed and published a snapshot.
-- Runs go one at a time (the run lock), so the run before is the latest other run; a tie on
-- started_at with another run means the order is not known, and nothing is returned.
with others as (
    select run_id, status, snapshot_id, checks_sha256, started_at
    from runs
    where run_id != $run_id
),

latest as (
    select * from others order by started_at desc limit 1
)

select l.run_id, l.checks_sha256
from latest as l
where l.status = 'completed' and l.snapshot_id is not null
    and (select count(*) from others as o where o.started_at >= l.started_at) = 1
