-- share_text(low, high): a share a rule computed, as its message writes it: '25.0%' when the
-- rounding of the figures leaves it within a twentieth of a point, else '21.4% to 22.0%'
create or replace macro share_text(low, high) as
    case when high - low < 0.05 then printf('%.1f%%', low)
         else printf('%.1f%% to %.1f%%', low, least(high, 1e9)) end;
