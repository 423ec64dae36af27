-- synonym_of(phrase): a counted phrase in the words of the synonyms table
-- (expectations/synonyms.csv, registered as ref_synonyms before the rules run). A phrase that is a
-- term, once its place word (我县GDP) and an average's 人均/户均 (人均GDP) are set apart, is
-- read as the term's canonical name; an abbreviated head (规上, match = prefix) is replaced where
-- it opens the phrase; one that only holds a term (工业经济总量) is another thing and is returned
-- as it is. Defined here, after the table is registered, because DuckDB binds a macro's tables
-- when the macro is made.
create or replace temp macro synonym_of(phrase) as coalesce((
    select any_value(q.qualifier || s.canonical
                     || case when s.match = 'prefix' then substr(q.base, length(s.term) + 1) else '' end)
    from (
        select regexp_extract(bare, '^((人|户)均)?', 1) as qualifier, regexp_replace(bare, '^(人|户)均', '') as base
        from (select regexp_replace(phrase, '^(全|我|本|该)[省市县区镇乡村州]', '') as bare)
    ) as q
    join ref_synonyms as s on q.base = s.term or (s.match = 'prefix' and starts_with(q.base, s.term))
), phrase);
