-- grain: one row per check of a run with failures: how many rows of it failed
select check_id, severity, count(*) as failed
from checks
where run_id = ? and status = 'fail'
group by check_id, severity
order by severity = 'warning', failed desc, check_id
