-- grain: one row per fact, with span_ok: its surface is what its article's text holds at its offsets
-- (only the columns the Great Expectations suite reads: the frame is built for every run)
create or replace view v_gx_facts as
with final as (
    select
        f.fact_id, f.article_id, f.source_start, f.source_end, f.value, f.value_low, f.value_high,
        f.unit, f.kind, f.approx,
        coalesce(
            f.source_start >= a.source_start and f.source_end <= a.source_end
            and substr(a.text, f.source_start - a.source_start + 1, f.source_end - f.source_start) = f.surface,
            false
        ) as span_ok
    from facts as f
    left join articles as a using (article_id)
)

select * from final;
