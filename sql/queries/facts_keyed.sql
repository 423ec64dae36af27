-- grain: one row, whether the warehouse's facts table still declares a primary key
select count(*) > 0 as keyed
from duckdb_constraints()
where database_name = current_database() and schema_name = 'main'
  and table_name = 'facts' and constraint_type = 'PRIMARY KEY';
