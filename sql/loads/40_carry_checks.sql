-- grain: the check rows of the previous run, copied to this run (nothing was loaded or dropped
-- since, and the rules are the same, so the checks would find the same)
insert into checks by name
select
    $run_id as run_id,
    c.check_id,
    c.rule,
    c.severity,
    c.status,
    c.article_id,
    c.fact_ids,
    c.message
from checks as c
where c.run_id = $previous_run_id
