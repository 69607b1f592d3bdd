-- The dates the national standard counts on (issue: the figures as the law counts them).
--
-- incubation.closed_on: the day a closed project left the incubator. Projects in incubation (a
-- stock) are counted from entry until graduation or closure, so a project closed in 2023 stays in
-- the 2021 and 2022 portfolios.
-- talent.completed_on: the day a joint-training cohort completed (null while it runs); its
-- graduates are counted on that day, not on the day the cohort started.
--
-- Existing rows get a stated default that keeps every figure the database showed before this
-- migration, so no submitted report gets a revision from it (docs/operations.md lists the rows, so
-- that stewards can enter the real dates):
--   a closed project:        closed_on = entered_on (it stays out of every period's portfolio, as before);
--   a cohort with graduates: completed_on = started_on (its graduates stay in the period they were counted in).

alter table incubation add column closed_on date;
alter table talent add column completed_on date;

update incubation set closed_on = entered_on where stage = 'closed';
update talent set completed_on = started_on where graduates > 0;

alter table incubation
  add constraint incubation_closed_after_entry check (closed_on >= entered_on),
  -- A closing date exactly when the project is closed.
  add constraint incubation_closed_stage check ((stage = 'closed') = (closed_on is not null));
alter table talent
  add constraint talent_completed_after_start check (completed_on >= started_on),
  -- Graduates are counted on the day the cohort completed: a cohort with graduates has that day.
  add constraint talent_graduates_completed check (graduates = 0 or completed_on is not null);

-- Projects that close later in a month, and completions inside a partial month, read by index-only scans.
create index incubation_closed_cover_idx on incubation (closed_on) include (university_code, stage, entered_on) where closed_on is not null;
create index talent_completed_cover_idx on talent (completed_on) include (university_code, graduates) where completed_on is not null;

-- rollups: begin (generated from server/kpi/rollups.ts by `npm run sql:rollups`; do not edit)
drop trigger if exists tech_transfer_rollup_truncate on tech_transfer;
drop trigger if exists tech_transfer_rollup_insert on tech_transfer;
drop trigger if exists tech_transfer_rollup_update on tech_transfer;
drop trigger if exists tech_transfer_rollup_delete on tech_transfer;
drop function if exists tech_transfer_rollup();
drop function if exists tech_transfer_rollup_truncate();
drop table if exists rollup_tech_transfer_u;
drop table if exists rollup_tech_transfer_up;
drop table if exists rollup_tech_transfer_umr;
drop table if exists rollup_tech_transfer_all;
drop table if exists rollup_tech_transfer_ud;

create table rollup_tech_transfer_u (
  university_code text not null,
  signed_on date not null,
  records bigint not null,
  contract_value_cny numeric not null,
  received_cny numeric not null,
  patents numeric not null
);
create unique index rollup_tech_transfer_u_key on rollup_tech_transfer_u (university_code, signed_on) nulls not distinct;
insert into rollup_tech_transfer_u (university_code, signed_on, records, contract_value_cny, received_cny, patents)
  select university_code as university_code, date_trunc('month', signed_on)::date as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from tech_transfer group by 1, 2 order by 1, 2;

create table rollup_tech_transfer_up (
  university_code text not null,
  co_university_code text,
  signed_on date not null,
  records bigint not null,
  contract_value_cny numeric not null,
  received_cny numeric not null,
  patents numeric not null
);
create unique index rollup_tech_transfer_up_key on rollup_tech_transfer_up (university_code, co_university_code, signed_on) nulls not distinct;
insert into rollup_tech_transfer_up (university_code, co_university_code, signed_on, records, contract_value_cny, received_cny, patents)
  select university_code as university_code, co_university_code as co_university_code, date_trunc('month', signed_on)::date as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from tech_transfer group by 1, 2, 3 order by 1, 2, 3;

create table rollup_tech_transfer_umr (
  university_code text not null,
  mode text,
  partner_region_code text,
  signed_on date not null,
  records bigint not null,
  contract_value_cny numeric not null,
  received_cny numeric not null,
  patents numeric not null
);
create unique index rollup_tech_transfer_umr_key on rollup_tech_transfer_umr (university_code, mode, partner_region_code, signed_on) nulls not distinct;
insert into rollup_tech_transfer_umr (university_code, mode, partner_region_code, signed_on, records, contract_value_cny, received_cny, patents)
  select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', signed_on)::date as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from tech_transfer group by 1, 2, 3, 4 order by 1, 2, 3, 4;

create table rollup_tech_transfer_all (
  university_code text not null,
  co_university_code text,
  mode text,
  partner_region_code text,
  field_code text,
  signed_on date not null,
  value_band text,
  records bigint not null,
  contract_value_cny numeric not null,
  received_cny numeric not null,
  patents numeric not null
);
create unique index rollup_tech_transfer_all_key on rollup_tech_transfer_all (university_code, co_university_code, mode, partner_region_code, field_code, signed_on, value_band) nulls not distinct;
insert into rollup_tech_transfer_all (university_code, co_university_code, mode, partner_region_code, field_code, signed_on, value_band, records, contract_value_cny, received_cny, patents)
  select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', signed_on)::date as signed_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from tech_transfer group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7;

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

create function tech_transfer_rollup() returns trigger language plpgsql as $$
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
create function tech_transfer_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_tech_transfer_u;
  truncate rollup_tech_transfer_up;
  truncate rollup_tech_transfer_umr;
  truncate rollup_tech_transfer_all;
  truncate rollup_tech_transfer_ud;
  return null;
end
$$;
create trigger tech_transfer_rollup_truncate after truncate on tech_transfer for each statement execute function tech_transfer_rollup_truncate();
create trigger tech_transfer_rollup_insert after insert on tech_transfer referencing new table as new_rows for each statement execute function tech_transfer_rollup();
create trigger tech_transfer_rollup_update after update on tech_transfer referencing old table as old_rows new table as new_rows for each statement execute function tech_transfer_rollup();
create trigger tech_transfer_rollup_delete after delete on tech_transfer referencing old table as old_rows for each statement execute function tech_transfer_rollup();

drop trigger if exists incubation_rollup_truncate on incubation;
drop trigger if exists incubation_rollup_insert on incubation;
drop trigger if exists incubation_rollup_update on incubation;
drop trigger if exists incubation_rollup_delete on incubation;
drop function if exists incubation_rollup();
drop function if exists incubation_rollup_truncate();
drop table if exists rollup_incubation_u;
drop table if exists rollup_incubation_all;

create table rollup_incubation_u (
  university_code text not null,
  stage text not null,
  entered_on date not null,
  graduated_on date,
  closed_on date,
  records bigint not null,
  funding_cny numeric not null,
  jobs numeric not null
);
create unique index rollup_incubation_u_key on rollup_incubation_u (university_code, stage, entered_on, graduated_on, closed_on) nulls not distinct;
insert into rollup_incubation_u (university_code, stage, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
  select university_code as university_code, stage as stage, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from incubation group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5;

create table rollup_incubation_all (
  university_code text not null,
  stage text not null,
  partner_university_code text,
  field_code text,
  entered_on date not null,
  graduated_on date,
  closed_on date,
  records bigint not null,
  funding_cny numeric not null,
  jobs numeric not null
);
create unique index rollup_incubation_all_key on rollup_incubation_all (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on) nulls not distinct;
insert into rollup_incubation_all (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
  select university_code as university_code, stage as stage, partner_university_code as partner_university_code, field_code as field_code, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from incubation group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7;

create function incubation_rollup() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    insert into rollup_incubation_u as rollup_incubation_u (university_code, stage, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
      select university_code as university_code, stage as stage, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, -count(*) as records, -sum(funding_cny) as funding_cny, -sum(jobs) as jobs from old_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (university_code, stage, entered_on, graduated_on, closed_on) do update set records = rollup_incubation_u.records + excluded.records, funding_cny = rollup_incubation_u.funding_cny + excluded.funding_cny, jobs = rollup_incubation_u.jobs + excluded.jobs;
    insert into rollup_incubation_all as rollup_incubation_all (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
      select university_code as university_code, stage as stage, partner_university_code as partner_university_code, field_code as field_code, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, -count(*) as records, -sum(funding_cny) as funding_cny, -sum(jobs) as jobs from old_rows group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on) do update set records = rollup_incubation_all.records + excluded.records, funding_cny = rollup_incubation_all.funding_cny + excluded.funding_cny, jobs = rollup_incubation_all.jobs + excluded.jobs;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into rollup_incubation_u as rollup_incubation_u (university_code, stage, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
      select university_code as university_code, stage as stage, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from new_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (university_code, stage, entered_on, graduated_on, closed_on) do update set records = rollup_incubation_u.records + excluded.records, funding_cny = rollup_incubation_u.funding_cny + excluded.funding_cny, jobs = rollup_incubation_u.jobs + excluded.jobs;
    insert into rollup_incubation_all as rollup_incubation_all (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
      select university_code as university_code, stage as stage, partner_university_code as partner_university_code, field_code as field_code, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from new_rows group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on) do update set records = rollup_incubation_all.records + excluded.records, funding_cny = rollup_incubation_all.funding_cny + excluded.funding_cny, jobs = rollup_incubation_all.jobs + excluded.jobs;
  end if;
  return null;
end
$$;
create function incubation_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_incubation_u;
  truncate rollup_incubation_all;
  return null;
end
$$;
create trigger incubation_rollup_truncate after truncate on incubation for each statement execute function incubation_rollup_truncate();
create trigger incubation_rollup_insert after insert on incubation referencing new table as new_rows for each statement execute function incubation_rollup();
create trigger incubation_rollup_update after update on incubation referencing old table as old_rows new table as new_rows for each statement execute function incubation_rollup();
create trigger incubation_rollup_delete after delete on incubation referencing old table as old_rows for each statement execute function incubation_rollup();

drop trigger if exists talent_rollup_truncate on talent;
drop trigger if exists talent_rollup_insert on talent;
drop trigger if exists talent_rollup_update on talent;
drop trigger if exists talent_rollup_delete on talent;
drop function if exists talent_rollup();
drop function if exists talent_rollup_truncate();
drop table if exists rollup_talent_u;
drop table if exists rollup_talent_all;
drop table if exists rollup_talent_ud;

create table rollup_talent_u (
  university_code text not null,
  started_on date not null,
  completed_on date,
  records bigint not null,
  trainees numeric not null,
  graduates numeric not null
);
create unique index rollup_talent_u_key on rollup_talent_u (university_code, started_on, completed_on) nulls not distinct;
insert into rollup_talent_u (university_code, started_on, completed_on, records, trainees, graduates)
  select university_code as university_code, date_trunc('month', started_on)::date as started_on, date_trunc('month', completed_on)::date as completed_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from talent group by 1, 2, 3 order by 1, 2, 3;

create table rollup_talent_all (
  university_code text not null,
  partner_university_code text,
  level text,
  started_on date not null,
  completed_on date,
  records bigint not null,
  trainees numeric not null,
  graduates numeric not null
);
create unique index rollup_talent_all_key on rollup_talent_all (university_code, partner_university_code, level, started_on, completed_on) nulls not distinct;
insert into rollup_talent_all (university_code, partner_university_code, level, started_on, completed_on, records, trainees, graduates)
  select university_code as university_code, partner_university_code as partner_university_code, level as level, date_trunc('month', started_on)::date as started_on, date_trunc('month', completed_on)::date as completed_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from talent group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5;

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

create function talent_rollup() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    insert into rollup_talent_u as rollup_talent_u (university_code, started_on, completed_on, records, trainees, graduates)
      select university_code as university_code, date_trunc('month', started_on)::date as started_on, date_trunc('month', completed_on)::date as completed_on, -count(*) as records, -sum(trainees) as trainees, -sum(graduates) as graduates from old_rows group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, started_on, completed_on) do update set records = rollup_talent_u.records + excluded.records, trainees = rollup_talent_u.trainees + excluded.trainees, graduates = rollup_talent_u.graduates + excluded.graduates;
    insert into rollup_talent_all as rollup_talent_all (university_code, partner_university_code, level, started_on, completed_on, records, trainees, graduates)
      select university_code as university_code, partner_university_code as partner_university_code, level as level, date_trunc('month', started_on)::date as started_on, date_trunc('month', completed_on)::date as completed_on, -count(*) as records, -sum(trainees) as trainees, -sum(graduates) as graduates from old_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (university_code, partner_university_code, level, started_on, completed_on) do update set records = rollup_talent_all.records + excluded.records, trainees = rollup_talent_all.trainees + excluded.trainees, graduates = rollup_talent_all.graduates + excluded.graduates;
    insert into rollup_talent_ud as rollup_talent_ud (university_code, started_on, records, trainees, graduates)
      select university_code as university_code, started_on as started_on, -count(*) as records, -sum(trainees) as trainees, -sum(graduates) as graduates from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, started_on) do update set records = rollup_talent_ud.records + excluded.records, trainees = rollup_talent_ud.trainees + excluded.trainees, graduates = rollup_talent_ud.graduates + excluded.graduates;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into rollup_talent_u as rollup_talent_u (university_code, started_on, completed_on, records, trainees, graduates)
      select university_code as university_code, date_trunc('month', started_on)::date as started_on, date_trunc('month', completed_on)::date as completed_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from new_rows group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, started_on, completed_on) do update set records = rollup_talent_u.records + excluded.records, trainees = rollup_talent_u.trainees + excluded.trainees, graduates = rollup_talent_u.graduates + excluded.graduates;
    insert into rollup_talent_all as rollup_talent_all (university_code, partner_university_code, level, started_on, completed_on, records, trainees, graduates)
      select university_code as university_code, partner_university_code as partner_university_code, level as level, date_trunc('month', started_on)::date as started_on, date_trunc('month', completed_on)::date as completed_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from new_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (university_code, partner_university_code, level, started_on, completed_on) do update set records = rollup_talent_all.records + excluded.records, trainees = rollup_talent_all.trainees + excluded.trainees, graduates = rollup_talent_all.graduates + excluded.graduates;
    insert into rollup_talent_ud as rollup_talent_ud (university_code, started_on, records, trainees, graduates)
      select university_code as university_code, started_on as started_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, started_on) do update set records = rollup_talent_ud.records + excluded.records, trainees = rollup_talent_ud.trainees + excluded.trainees, graduates = rollup_talent_ud.graduates + excluded.graduates;
  end if;
  return null;
end
$$;
create function talent_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_talent_u;
  truncate rollup_talent_all;
  truncate rollup_talent_ud;
  return null;
end
$$;
create trigger talent_rollup_truncate after truncate on talent for each statement execute function talent_rollup_truncate();
create trigger talent_rollup_insert after insert on talent referencing new table as new_rows for each statement execute function talent_rollup();
create trigger talent_rollup_update after update on talent referencing old table as old_rows new table as new_rows for each statement execute function talent_rollup();
create trigger talent_rollup_delete after delete on talent referencing old table as old_rows for each statement execute function talent_rollup();

drop trigger if exists credit_rollup_truncate on credit;
drop trigger if exists credit_rollup_insert on credit;
drop trigger if exists credit_rollup_update on credit;
drop trigger if exists credit_rollup_delete on credit;
drop function if exists credit_rollup();
drop function if exists credit_rollup_truncate();
drop table if exists rollup_credit_u;
drop table if exists rollup_credit_all;
drop table if exists rollup_credit_ud;

create table rollup_credit_u (
  university_code text not null,
  recognized_on date not null,
  records bigint not null,
  students numeric not null,
  credits numeric not null
);
create unique index rollup_credit_u_key on rollup_credit_u (university_code, recognized_on) nulls not distinct;
insert into rollup_credit_u (university_code, recognized_on, records, students, credits)
  select university_code as university_code, date_trunc('month', recognized_on)::date as recognized_on, count(*) as records, sum(students) as students, sum(credits) as credits from credit group by 1, 2 order by 1, 2;

create table rollup_credit_all (
  university_code text not null,
  host_university_code text,
  recognized_on date not null,
  records bigint not null,
  students numeric not null,
  credits numeric not null
);
create unique index rollup_credit_all_key on rollup_credit_all (university_code, host_university_code, recognized_on) nulls not distinct;
insert into rollup_credit_all (university_code, host_university_code, recognized_on, records, students, credits)
  select university_code as university_code, host_university_code as host_university_code, date_trunc('month', recognized_on)::date as recognized_on, count(*) as records, sum(students) as students, sum(credits) as credits from credit group by 1, 2, 3 order by 1, 2, 3;

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

create function credit_rollup() returns trigger language plpgsql as $$
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
create function credit_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_credit_u;
  truncate rollup_credit_all;
  truncate rollup_credit_ud;
  return null;
end
$$;
create trigger credit_rollup_truncate after truncate on credit for each statement execute function credit_rollup_truncate();
create trigger credit_rollup_insert after insert on credit referencing new table as new_rows for each statement execute function credit_rollup();
create trigger credit_rollup_update after update on credit referencing old table as old_rows new table as new_rows for each statement execute function credit_rollup();
create trigger credit_rollup_delete after delete on credit referencing old table as old_rows for each statement execute function credit_rollup();
-- rollups: end
