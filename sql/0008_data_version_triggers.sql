-- The data version (app_setting 'data_version') is bumped by every statement that writes the
-- data, whoever runs it: the application, an operator in psql, a bulk load. Caches keyed by the
-- version (ETags, the member list, the data's date range) can then never outlive the data.
create function bump_data_version() returns trigger language plpgsql as $$
begin
  update app_setting set value = to_jsonb((value #>> '{}')::bigint + 1), updated_at = now() where key = 'data_version';
  return null;
end
$$;

create trigger tech_transfer_data_version after insert or update or delete or truncate on tech_transfer for each statement execute function bump_data_version();
create trigger incubation_data_version after insert or update or delete or truncate on incubation for each statement execute function bump_data_version();
create trigger talent_data_version after insert or update or delete or truncate on talent for each statement execute function bump_data_version();
create trigger credit_data_version after insert or update or delete or truncate on credit for each statement execute function bump_data_version();
create trigger target_data_version after insert or update or delete or truncate on target for each statement execute function bump_data_version();
create trigger university_data_version after insert or update or delete or truncate on university for each statement execute function bump_data_version();
create trigger region_data_version after insert or update or delete or truncate on region for each statement execute function bump_data_version();
create trigger field_data_version after insert or update or delete or truncate on field for each statement execute function bump_data_version();
