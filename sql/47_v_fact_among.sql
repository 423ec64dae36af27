-- grain: one row per fact in a body sentence that holds 其中, as v_fact_readings, with what the
-- rules on parts and wholes (parts_sum, share_arithmetic) read of its place in the sentence
--
-- unit_class: 人, 名, 位 and 人员 are one unit; end_offset: where the fact ends in its sentence;
-- lead: the words of its clause before it; since_among: the words since a 其中 before it in its
-- clause (其中,党委120个 too), or ''. Facts that hold for each of something (per) are left out.
create or replace view v_fact_among as
select
    *,
    unit_class(unit) as unit_class,
    sentence_offset + length(surface) as end_offset,
    regexp_extract(left(sentence, sentence_offset), '[^,，;；:：]*$') as lead,
    regexp_extract(left(sentence, sentence_offset), '其中[,，]?[^,，;；:：]*$') as since_among
from v_fact_readings
-- a cheap test before the regexes
where contains(sentence, '其中') and coalesce(value, value_low, value_high) is not null
    and not coalesce(in_title, false) and per is null;
