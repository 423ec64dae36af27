-- grain: one row per fact, with the widest range its words allow: the most favourable reading
-- the consistency checks judge it by (a check fires only when no reading can save the figure)
--
-- lo: the least it can be (近 and 约 down to 80%, 不到 down to nothing); hi: the most it can be
-- (约 up to 120%, 多/余 up to their stated step, 超过 and 以上 with no step unbounded).
create or replace view v_fact_bounds as
with final as (
    select
        *,
        case approx
            when 'range' then value_low
            when 'nearly' then 0.8 * value
            when 'about' then 0.8 * value
            when 'less_than' then 0
            else value
        end as lo,
        case approx
            when 'range' then value_high
            when 'more_than' then coalesce(value_high, 'infinity'::double)
            when 'at_least' then 'infinity'::double
            when 'about' then 1.2 * value
            else value
        end as hi
    from facts
)

select * from final;
