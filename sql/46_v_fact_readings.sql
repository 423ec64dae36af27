-- grain: one row per fact, as v_fact_bounds, with what the arithmetic checks also read
--
-- half_step: how far rounding to the written digits may have moved the value; is_change: the
-- words before it state a change. A view of its own, so that the checks that read neither
-- (most of them take every column of v_fact_bounds) do not compute them for every fact.
create or replace view v_fact_readings as
select
    *,
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
    -- stated as a change: a change word right before it (比上年增加5名, 比上年多5名; not 增加值),
    -- or 新增/净增/新发展 anywhere in its clause (新增市场主体5600户, 新发展党员46名); the four characters before the
    -- figure (prefix) settle most rows without a regex over the sentence
    regexp_matches(prefix, '(增加|减少|增长|下降|提高|降低|[年期](多|少))了?$')
        or ((contains(sentence, '新增') or contains(sentence, '净增') or contains(sentence, '新发展'))
            and regexp_matches(regexp_extract(left(sentence, sentence_offset), '[^,，;；:：]*$'), '新增|净增|新发展'))
        as is_change
from v_fact_bounds;
