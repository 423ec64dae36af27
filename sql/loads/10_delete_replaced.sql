-- grain: removes every row derived from the files being (re)loaded, so no stale fact survives an edit
delete from enumerations
where fact_id in (
    select f.fact_id
    from facts as f
    join articles as a using (article_id)
    where a.source_path in (select source_path from in_paths)
);

delete from facts
where article_id in (select article_id from articles where source_path in (select source_path from in_paths));

delete from dates
where article_id in (select article_id from articles where source_path in (select source_path from in_paths));

delete from articles
where source_path in (select source_path from in_paths);
