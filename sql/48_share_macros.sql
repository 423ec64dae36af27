-- Macros the share rules (share_arithmetic, named_share, rate_arithmetic) read and write with.

-- share_low(part_lo, part_step, whole_hi, whole_step), share_high(part_hi, part_step, whole_lo,
-- whole_step): the least and the most percent a part can be of a whole, each read at its most
-- favourable and off by half a step of its last written digit (NULL, or infinity, when the whole
-- may be nothing)
create or replace macro share_low(part_lo, part_step, whole_hi, whole_step) as
    case when whole_hi + whole_step > 0 then 100 * greatest(part_lo - part_step, 0) / (whole_hi + whole_step) end;
create or replace macro share_high(part_hi, part_step, whole_lo, whole_step) as
    case when whole_lo - whole_step > 0 then 100 * (part_hi + part_step) / (whole_lo - whole_step)
         else 'infinity'::double end;

-- share_text(low, high): a share a rule computed, as its message writes it: '25.0%' when the
-- rounding of the figures leaves it within a twentieth of a point, else '21.4% to 22.0%'
create or replace macro share_text(low, high) as
    case when high - low < 0.05 then printf('%.1f%%', low)
         else printf('%.1f%% to %.1f%%', low, least(high, 1e9)) end;

-- named_whole(words): the noun a share names as its whole in the words before it, without its
-- place and its 总…: 党员 of 占全县党员总数的, 耕地 of 占耕地总面积的; '' for 占全镇的, 占总人口的
create or replace macro named_whole(words) as
    regexp_replace(regexp_replace(regexp_extract(words, '占([^,，;；:：。\d%]*)的', 1),
        '^(全|该|本|我)[省市县区镇乡村州]', ''), '总(数|量|额|面积|人口|人数|户数|规模)$|^总', '');

-- named_scope(words): the place a share names its whole of: 全市 of 占全市耕地面积的, 该镇, 全国
create or replace macro named_scope(words) as
    regexp_extract(words, '占((全|该|本|我)[省市县区镇乡村州]|全国)', 1);

-- scope_stated(words, scope): whether the words before a whole state that scope: 全县 itself, or
-- for 该镇, 本县, 我县 a place of that level (全镇, 石桥镇)
create or replace macro scope_stated(words, scope) as
    scope = '' or contains(words, scope)
    or (regexp_matches(scope, '^(该|本|我)') and regexp_matches(words, '[^该本我]' || right(scope, 1)));
