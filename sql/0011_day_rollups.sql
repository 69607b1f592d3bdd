-- Day-grain rollups of the university level (see server/kpi/rollups.ts, which generates this
-- file: `npm run sql:rollups`), read for the days of partial months. The trigger functions of
-- sql/0007 are replaced by ones that keep these too, in the same statements.

create table rollup_tech_transfer_ud (
  university_code text not null,
  signed_on date not null,
  records bigint not null,
  contract_value_cny numeric not null,
  received_cny numeric not null,
  patents numeric not null
);
create unique index rollup_tech_transfer_ud_key on rollup_tech_transfer_ud (university_code, signed_on) nulls not distinct;
insert into rollup_tech_transfer_ud (university_code, signed_on, records, contract_value_cny, received_cny, patents)
  select university_code as university_code, signed_on as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from tech_transfer group by 1, 2 order by 1, 2;

create or replace function tech_transfer_rollup() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    insert into rollup_tech_transfer_u as rollup_tech_transfer_u (university_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, date_trunc('month', signed_on)::date as signed_on, -count(*) as records, -sum(contract_value_cny) as contract_value_cny, -sum(received_cny) as received_cny, -sum(patents) as patents from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, signed_on) do update set records = rollup_tech_transfer_u.records + excluded.records, contract_value_cny = rollup_tech_transfer_u.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_u.received_cny + excluded.received_cny, patents = rollup_tech_transfer_u.patents + excluded.patents;
    insert into rollup_tech_transfer_up as rollup_tech_transfer_up (university_code, co_university_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, co_university_code as co_university_code, date_trunc('month', signed_on)::date as signed_on, -count(*) as records, -sum(contract_value_cny) as contract_value_cny, -sum(received_cny) as received_cny, -sum(patents) as patents from old_rows group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, co_university_code, signed_on) do update set records = rollup_tech_transfer_up.records + excluded.records, contract_value_cny = rollup_tech_transfer_up.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_up.received_cny + excluded.received_cny, patents = rollup_tech_transfer_up.patents + excluded.patents;
    insert into rollup_tech_transfer_umr as rollup_tech_transfer_umr (university_code, mode, partner_region_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', signed_on)::date as signed_on, -count(*) as records, -sum(contract_value_cny) as contract_value_cny, -sum(received_cny) as received_cny, -sum(patents) as patents from old_rows group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, mode, partner_region_code, signed_on) do update set records = rollup_tech_transfer_umr.records + excluded.records, contract_value_cny = rollup_tech_transfer_umr.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_umr.received_cny + excluded.received_cny, patents = rollup_tech_transfer_umr.patents + excluded.patents;
    insert into rollup_tech_transfer_all as rollup_tech_transfer_all (university_code, co_university_code, mode, partner_region_code, field_code, signed_on, value_band, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', signed_on)::date as signed_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, -count(*) as records, -sum(contract_value_cny) as contract_value_cny, -sum(received_cny) as received_cny, -sum(patents) as patents from old_rows group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, co_university_code, mode, partner_region_code, field_code, signed_on, value_band) do update set records = rollup_tech_transfer_all.records + excluded.records, contract_value_cny = rollup_tech_transfer_all.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_all.received_cny + excluded.received_cny, patents = rollup_tech_transfer_all.patents + excluded.patents;
    insert into rollup_tech_transfer_ud as rollup_tech_transfer_ud (university_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, signed_on as signed_on, -count(*) as records, -sum(contract_value_cny) as contract_value_cny, -sum(received_cny) as received_cny, -sum(patents) as patents from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, signed_on) do update set records = rollup_tech_transfer_ud.records + excluded.records, contract_value_cny = rollup_tech_transfer_ud.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_ud.received_cny + excluded.received_cny, patents = rollup_tech_transfer_ud.patents + excluded.patents;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into rollup_tech_transfer_u as rollup_tech_transfer_u (university_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, date_trunc('month', signed_on)::date as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, signed_on) do update set records = rollup_tech_transfer_u.records + excluded.records, contract_value_cny = rollup_tech_transfer_u.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_u.received_cny + excluded.received_cny, patents = rollup_tech_transfer_u.patents + excluded.patents;
    insert into rollup_tech_transfer_up as rollup_tech_transfer_up (university_code, co_university_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, co_university_code as co_university_code, date_trunc('month', signed_on)::date as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from new_rows group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, co_university_code, signed_on) do update set records = rollup_tech_transfer_up.records + excluded.records, contract_value_cny = rollup_tech_transfer_up.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_up.received_cny + excluded.received_cny, patents = rollup_tech_transfer_up.patents + excluded.patents;
    insert into rollup_tech_transfer_umr as rollup_tech_transfer_umr (university_code, mode, partner_region_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', signed_on)::date as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from new_rows group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, mode, partner_region_code, signed_on) do update set records = rollup_tech_transfer_umr.records + excluded.records, contract_value_cny = rollup_tech_transfer_umr.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_umr.received_cny + excluded.received_cny, patents = rollup_tech_transfer_umr.patents + excluded.patents;
    insert into rollup_tech_transfer_all as rollup_tech_transfer_all (university_code, co_university_code, mode, partner_region_code, field_code, signed_on, value_band, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', signed_on)::date as signed_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from new_rows group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, co_university_code, mode, partner_region_code, field_code, signed_on, value_band) do update set records = rollup_tech_transfer_all.records + excluded.records, contract_value_cny = rollup_tech_transfer_all.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_all.received_cny + excluded.received_cny, patents = rollup_tech_transfer_all.patents + excluded.patents;
    insert into rollup_tech_transfer_ud as rollup_tech_transfer_ud (university_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, signed_on as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, signed_on) do update set records = rollup_tech_transfer_ud.records + excluded.records, contract_value_cny = rollup_tech_transfer_ud.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_ud.received_cny + excluded.received_cny, patents = rollup_tech_transfer_ud.patents + excluded.patents;
  end if;
  return null;
end
$$;
create or replace function tech_transfer_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_tech_transfer_u;
  truncate rollup_tech_transfer_up;
  truncate rollup_tech_transfer_umr;
  truncate rollup_tech_transfer_all;
  truncate rollup_tech_transfer_ud;
  return null;
end
$$;

create table rollup_talent_ud (
  university_code text not null,
  started_on date not null,
  records bigint not null,
  trainees numeric not null,
  graduates numeric not null
);
create unique index rollup_talent_ud_key on rollup_talent_ud (university_code, started_on) nulls not distinct;
insert into rollup_talent_ud (university_code, started_on, records, trainees, graduates)
  select university_code as university_code, started_on as started_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from talent group by 1, 2 order by 1, 2;

create or replace function talent_rollup() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    insert into rollup_talent_u as rollup_talent_u (university_code, started_on, records, trainees, graduates)
      select university_code as university_code, date_trunc('month', started_on)::date as started_on, -count(*) as records, -sum(trainees) as trainees, -sum(graduates) as graduates from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, started_on) do update set records = rollup_talent_u.records + excluded.records, trainees = rollup_talent_u.trainees + excluded.trainees, graduates = rollup_talent_u.graduates + excluded.graduates;
    insert into rollup_talent_all as rollup_talent_all (university_code, partner_university_code, level, started_on, records, trainees, graduates)
      select university_code as university_code, partner_university_code as partner_university_code, level as level, date_trunc('month', started_on)::date as started_on, -count(*) as records, -sum(trainees) as trainees, -sum(graduates) as graduates from old_rows group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, partner_university_code, level, started_on) do update set records = rollup_talent_all.records + excluded.records, trainees = rollup_talent_all.trainees + excluded.trainees, graduates = rollup_talent_all.graduates + excluded.graduates;
    insert into rollup_talent_ud as rollup_talent_ud (university_code, started_on, records, trainees, graduates)
      select university_code as university_code, started_on as started_on, -count(*) as records, -sum(trainees) as trainees, -sum(graduates) as graduates from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, started_on) do update set records = rollup_talent_ud.records + excluded.records, trainees = rollup_talent_ud.trainees + excluded.trainees, graduates = rollup_talent_ud.graduates + excluded.graduates;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into rollup_talent_u as rollup_talent_u (university_code, started_on, records, trainees, graduates)
      select university_code as university_code, date_trunc('month', started_on)::date as started_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, started_on) do update set records = rollup_talent_u.records + excluded.records, trainees = rollup_talent_u.trainees + excluded.trainees, graduates = rollup_talent_u.graduates + excluded.graduates;
    insert into rollup_talent_all as rollup_talent_all (university_code, partner_university_code, level, started_on, records, trainees, graduates)
      select university_code as university_code, partner_university_code as partner_university_code, level as level, date_trunc('month', started_on)::date as started_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from new_rows group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, partner_university_code, level, started_on) do update set records = rollup_talent_all.records + excluded.records, trainees = rollup_talent_all.trainees + excluded.trainees, graduates = rollup_talent_all.graduates + excluded.graduates;
    insert into rollup_talent_ud as rollup_talent_ud (university_code, started_on, records, trainees, graduates)
      select university_code as university_code, started_on as started_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, started_on) do update set records = rollup_talent_ud.records + excluded.records, trainees = rollup_talent_ud.trainees + excluded.trainees, graduates = rollup_talent_ud.graduates + excluded.graduates;
  end if;
  return null;
end
$$;
create or replace function talent_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_talent_u;
  truncate rollup_talent_all;
  truncate rollup_talent_ud;
  return null;
end
$$;

create table rollup_credit_ud (
  university_code text not null,
  recognized_on date not null,
  records bigint not null,
  students numeric not null,
  credits numeric not null
);
create unique index rollup_credit_ud_key on rollup_credit_ud (university_code, recognized_on) nulls not distinct;
insert into rollup_credit_ud (university_code, recognized_on, records, students, credits)
  select university_code as university_code, recognized_on as recognized_on, count(*) as records, sum(students) as students, sum(credits) as credits from credit group by 1, 2 order by 1, 2;

create or replace function credit_rollup() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    insert into rollup_credit_u as rollup_credit_u (university_code, recognized_on, records, students, credits)
      select university_code as university_code, date_trunc('month', recognized_on)::date as recognized_on, -count(*) as records, -sum(students) as students, -sum(credits) as credits from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, recognized_on) do update set records = rollup_credit_u.records + excluded.records, students = rollup_credit_u.students + excluded.students, credits = rollup_credit_u.credits + excluded.credits;
    insert into rollup_credit_all as rollup_credit_all (university_code, host_university_code, recognized_on, records, students, credits)
      select university_code as university_code, host_university_code as host_university_code, date_trunc('month', recognized_on)::date as recognized_on, -count(*) as records, -sum(students) as students, -sum(credits) as credits from old_rows group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, host_university_code, recognized_on) do update set records = rollup_credit_all.records + excluded.records, students = rollup_credit_all.students + excluded.students, credits = rollup_credit_all.credits + excluded.credits;
    insert into rollup_credit_ud as rollup_credit_ud (university_code, recognized_on, records, students, credits)
      select university_code as university_code, recognized_on as recognized_on, -count(*) as records, -sum(students) as students, -sum(credits) as credits from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, recognized_on) do update set records = rollup_credit_ud.records + excluded.records, students = rollup_credit_ud.students + excluded.students, credits = rollup_credit_ud.credits + excluded.credits;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into rollup_credit_u as rollup_credit_u (university_code, recognized_on, records, students, credits)
      select university_code as university_code, date_trunc('month', recognized_on)::date as recognized_on, count(*) as records, sum(students) as students, sum(credits) as credits from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, recognized_on) do update set records = rollup_credit_u.records + excluded.records, students = rollup_credit_u.students + excluded.students, credits = rollup_credit_u.credits + excluded.credits;
    insert into rollup_credit_all as rollup_credit_all (university_code, host_university_code, recognized_on, records, students, credits)
      select university_code as university_code, host_university_code as host_university_code, date_trunc('month', recognized_on)::date as recognized_on, count(*) as records, sum(students) as students, sum(credits) as credits from new_rows group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, host_university_code, recognized_on) do update set records = rollup_credit_all.records + excluded.records, students = rollup_credit_all.students + excluded.students, credits = rollup_credit_all.credits + excluded.credits;
    insert into rollup_credit_ud as rollup_credit_ud (university_code, recognized_on, records, students, credits)
      select university_code as university_code, recognized_on as recognized_on, count(*) as records, sum(students) as students, sum(credits) as credits from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, recognized_on) do update set records = rollup_credit_ud.records + excluded.records, students = rollup_credit_ud.students + excluded.students, credits = rollup_credit_ud.credits + excluded.credits;
  end if;
  return null;
end
$$;
create or replace function credit_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_credit_u;
  truncate rollup_credit_all;
  truncate rollup_credit_ud;
  return null;
end
$$;

