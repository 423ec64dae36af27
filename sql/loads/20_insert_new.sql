-- grain: inserts the rows of the files being loaded, and records each file's content hash
insert into articles by name
select * exclude (published_date), try_cast(published_date as date) as published_date, (select run_id from in_run) as run_id
from in_articles;

insert into facts by name
select * from in_facts;

insert into dates by name
select * exclude (date_from, date_to),
    try_cast(date_from as date) as date_from,
    try_cast(date_to as date) as date_to
from in_dates;

insert into enumerations by name
select * from in_enums;

insert or replace into files (source_path, content_sha256, bytes, first_run_id, last_run_id, articles)
select
    p.source_path,
    p.content_sha256,
    p.bytes,
    coalesce((select first_run_id from files as old where old.source_path = p.source_path), (select run_id from in_run)),
    (select run_id from in_run),
    (select count(*) from in_articles as a where a.source_path = p.source_path)
from in_paths as p;
