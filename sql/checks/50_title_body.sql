-- grain: one row per headline figure that no body figure of the same kind, unit and thing agrees with
--
-- A headline figure is compared with the body's figures of its kind and unit whose counted phrase
-- contains, or is contained in, the headline's (收入 and 集体经济收入); multiples and percentages
-- match any body figure of their kind whose phrase does not differ, since a headline often drops
-- the noun. The two agree when their readings overlap: 突破百万元 agrees with 117万元, and a
-- headline may round (2.5倍 for 2.48倍, within half its last digit and 5%). A headline figure the
-- body never restates is not judged. Phrases are compared in the words of the synonyms table
-- (expectations/synonyms.csv): a headline's GDP or 经济总量 is the body's 地区生产总值.
with figures as (
    -- 18万多 lies below 19万: the bound is open
    select * replace (
        case when approx = 'more_than' and value_high is not null then value_high * (1 - 1e-9) else hi end as hi)
    from v_fact_bounds
    where coalesce(value, value_low, value_high) is not null
        and article_id in (select article_id from facts where in_title)
),

bounded as (
    -- phrases in the words of the synonyms table: a headline's GDP is the body's 地区生产总值
    select * replace (synonym_of(counted) as counted)
    from figures
),

title_facts as (
    select *,
        -- an exact headline may round: half the step of its last significant digit, capped at 5%
        -- of the figure; an approximate one (18万多) carries its own range
        case when approx is not null then 0 else least(
            0.5 * list_max([p for p in [1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1, 0.1, 0.01, 0.001]
                            if abs(coalesce(value, 0) / p - round(coalesce(value, 0) / p)) < 1e-6]),
            0.05 * abs(coalesce(value, 0))
        ) + 0.005 * abs(coalesce(value, 0)) end as slack
    from bounded
    where in_title
),

body_facts as (
    select * from bounded where not coalesce(in_title, false)
),

candidates as (
    select t.article_id, t.fact_id as title_id, t.surface as title_surface, t.counted as title_counted,
        b.fact_id as body_id, b.surface as body_surface, b.sentence as body_sentence, b.source_start as body_start,
        b.lo <= t.hi + t.slack and t.lo - t.slack <= b.hi as agrees
    from title_facts as t
    join body_facts as b
        on b.article_id = t.article_id and b.kind = t.kind and b.unit is not distinct from t.unit
        -- an average (人均GDP) is not the total (地区生产总值)
        and regexp_matches(coalesce(t.counted, ''), '^(人|户|亩|村)均') = regexp_matches(coalesce(b.counted, ''), '^(人|户|亩|村)均')
        and (
            (t.counted is not null and b.counted is not null
                and (contains(t.counted, b.counted) or contains(b.counted, t.counted))
                and least(length(t.counted), length(b.counted)) >= 2)
            or (t.kind in ('multiple', 'percent')
                and (t.counted is null or b.counted is null
                    or contains(t.counted, b.counted) or contains(b.counted, t.counted)
                    or right(t.counted, 2) = right(b.counted, 2)))
        )
),

judged as (
    select article_id, title_id, title_surface, title_counted,
        list(body_id order by body_start) as body_ids,
        string_agg(body_surface, '、' order by body_start) as body_surfaces,
        bool_or(agrees) as agrees,
        arg_min(body_sentence, body_start) as body_sentence
    from candidates
    group by all
),

final as (
    select
        article_id,
        list_prepend(title_id, body_ids) as fact_ids,
        printf('The headline states %s %s, but the body gives %s, and none of them agrees with it. Body: 「%s」',
            title_surface, coalesce(title_counted, ''), body_surfaces, body_sentence) as message
    from judged
    where not agrees
)

select * from final
