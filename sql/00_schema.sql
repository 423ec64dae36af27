-- grain: the warehouse's tables; one statement each, safe to run on every open.
-- Names and the columns of articles, facts, checks, runs and quarantine are the user contract
-- (see CONTRACT.md); columns may be added, never renamed.

create table if not exists runs (
    run_id          varchar primary key,
    started_at      timestamp not null,
    finished_at     timestamp,
    status          varchar not null,          -- running / completed / failed
    articles_seen   integer default 0,
    articles_new    integer default 0,
    facts           integer default 0,
    checks_failed   integer default 0,
    quarantined     integer default 0,
    snapshot_id     varchar,
    inputs          varchar[],
    message         varchar
);
-- warehouses made before the column: the fingerprint of the rules and suites a run checked with
alter table runs add column if not exists checks_sha256 varchar;
-- the order the runs started in, which the clock may not keep (it can be set back): runs
-- recorded before the column have none and come before every run that has one
create sequence if not exists run_seq;
alter table runs add column if not exists seq bigint;

-- grain: one row per input file ever read; the content hash decides whether it is read again
create table if not exists files (
    source_path     varchar primary key,
    content_sha256  varchar not null,
    bytes           bigint,
    first_run_id    varchar,
    last_run_id     varchar,
    articles        integer
);

-- grain: one row per article or photo caption
create table if not exists articles (
    article_id               varchar primary key,
    source_path              varchar not null,
    part                     integer not null,      -- JSONL line, 0 for other files
    ordinal                  integer not null,      -- position in its file
    kind                     varchar not null,      -- article / caption
    title                    varchar,
    byline                   varchar,
    published_date           date,
    published_date_inferred  boolean not null,
    source_start             integer not null,      -- span of the article in the decoded file
    source_end               integer not null,
    text                     varchar not null,
    content_sha256           varchar,
    run_id                   varchar
);

-- grain: one row per quantitative mention. fact_id is unique (derived from the article and the
-- offset, and checked by the facts suite's fact_id_unique) but is not declared a primary key:
-- DuckDB keeps a key's index in memory, and it grows with the archive (176 MB at 3.6 million
-- facts). warehouse.connect rebuilds older warehouses' facts without it.
create table if not exists facts (
    fact_id         varchar not null,
    article_id      varchar not null,
    surface         varchar not null,
    source_start    integer not null,
    source_end      integer not null,
    value           double,
    value_low       double,
    value_high      double,
    unit            varchar,
    kind            varchar not null,
    approx          varchar,
    counted         varchar,
    place           varchar,
    year            integer,
    sentence        varchar,
    sentence_start  integer,
    sentence_offset integer,                 -- where the fact starts inside sentence
    in_title        boolean,
    place_level     integer,                 -- 0 province, 1 city, 2 county, 3 town, 4 village/community
    place_province  varchar,
    place_city      varchar,
    place_county    varchar,
    per             varchar,                 -- the figure holds for each of these (每个党小组)
    prefix          varchar,                 -- up to 4 characters of the sentence before the fact
    suffix          varchar                  -- and after it
);

-- grain: one row per calendar mention
create table if not exists dates (
    article_id      varchar not null,
    surface         varchar not null,
    source_start    integer not null,
    source_end      integer not null,
    date_from       date,
    date_to         date,
    year            integer,
    base            boolean                  -- the base of a comparison (较2018年)
);

-- grain: one row per listed enumeration after or before a stated count (三项改革: A、B、C)
create table if not exists enumerations (
    fact_id         varchar not null,
    items           integer not null,
    partial         boolean not null,        -- the list ends with 等: it need not be complete
    item_text       varchar
);

-- grain: one row per check and run (pass), or per offending group (fail)
create table if not exists checks (
    run_id          varchar not null,
    check_id        varchar not null,
    rule            varchar not null,
    severity        varchar not null,        -- error / warning
    status          varchar not null,        -- pass / fail
    article_id      varchar,
    fact_ids        varchar[],
    message         varchar
);

-- grain: one row per input that could not be read as an article, per run
create table if not exists quarantine (
    source_path     varchar not null,
    reason          varchar not null,
    run_id          varchar not null
);
