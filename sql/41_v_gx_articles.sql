-- grain: one row per article, with the length of its text
create or replace view v_gx_articles as
with final as (
    select article_id, source_path, title, published_date, published_date_inferred, length(text) as text_length
    from articles
)

select * from final;
