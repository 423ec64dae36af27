-- grain: one row per fact, with the widest range its words allow: the most favourable reading
-- the consistency checks judge it by (a check fires only when no reading can save the figure)
--
-- lo: the least it can be (近 and 约 down to 80%, 不到 down to nothing); hi: the most it can be
-- (约 up to 120%, 多/余 up to their stated step, 超过 and 以上 with no step unbounded);
-- half_step: how far rounding to the written digits may have moved the value; is_change: the
-- words of its clause before it state a change.
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
        end as hi,
        -- half the step of the value's last written digit, what rounding may hide: 1.8万 may be
        -- 1.75万 to 1.85万, 3万 2.5万 to 3.5万, 8% 7.5% to 8.5%, while a whole count or sum
        -- (320户, 5600元) is exact; a value in Chinese numerals is taken as rounded by 3%
        case when kind in ('count', 'money') and regexp_matches(surface, '^[^\d]*\d+[^\d.万亿千百]*$') then 0
            when regexp_matches(surface, '\d')
            then 0.5 * pow(10, -length(regexp_extract(surface, '\d\.(\d+)', 1)))
                * case when regexp_matches(surface, '\d\s*万亿') then 1e12 when regexp_matches(surface, '\d\s*千万') then 1e7
                    when regexp_matches(surface, '\d\s*百万') then 1e6 when regexp_matches(surface, '\d\s*亿') then 1e8
                    when regexp_matches(surface, '\d\s*万') then 1e4 when regexp_matches(surface, '\d\s*千') then 1e3
                    when regexp_matches(surface, '\d\s*百') then 100 else 1 end
            else 0.03 * abs(coalesce(value, value_high, value_low, 0))
        end as half_step,
        -- stated as a change: a change word right before it (比上年增加5名, 比上年多5名), or 新增
        -- anywhere in its clause (新增市场主体5600户); 增加值 and 增长点 are nouns
        regexp_matches(
            regexp_replace(regexp_extract(left(sentence, sentence_offset), '[^,，;；:：]*$'), '增加值|增长点|增长极', ''),
            '(增加|减少|增长|下降|提高|降低|(比|较)(上年|去年|同期)(多|少))了?$|新增|净增') as is_change
    from facts
)

select * from final;
