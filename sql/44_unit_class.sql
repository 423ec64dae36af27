-- unit_class(unit): the units that count the same thing as one: 人, 名, 位 and 人员 all count
-- people (党员860名 is a whole of 女党员215人)
create or replace macro unit_class(unit) as
    case when unit in ('人', '名', '位', '人员') then '人' else unit end;
