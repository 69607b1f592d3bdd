-- The national annual report's last two blocks (《中国科技成果转化年度报告》; issue: the figures as
-- the law counts them).
--
-- capacity: snapshots of each university's technology-transfer organisation on a day (技术转移机构,
-- 专职人员, 技术经理人, 共建机构). These are stocks: a period's figure is each university's last
-- snapshot on or before the period's end, summed over universities, never over time. The view
-- capacity_fact gives each snapshot the day the next one of its university replaces it
-- (superseded_on), so a snapshot is held from its snapshot_on until then, like a project in incubation.
--
-- incubation: the company a project registered (创设/参股公司): the day it was registered and
-- whether the university founded it (创设) or holds shares in it (参股). Both given or neither.
--
-- Existing data: no capacity snapshots; every incubation project has no company recorded (both
-- columns empty) until a steward enters it.

create table capacity (
  id               bigint generated always as identity primary key,
  university_code  text not null references university (code),
  ref              text not null check (btrim(ref) <> '' and length(ref) <= 64),
  snapshot_on      date not null,
  transfer_offices integer not null check (transfer_offices >= 0),
  staff            integer not null check (staff >= 0),
  tech_managers    integer not null check (tech_managers >= 0),
  co_built         integer not null check (co_built >= 0),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  created_by       bigint references app_user (id),
  updated_by       bigint references app_user (id),
  constraint capacity_ref_key unique (university_code, ref),
  -- One snapshot per university and day: the last one on or before a day is then one row. Deferrable:
  -- an import that moves snapshots between days (two swapped) is checked whole, at its commit.
  constraint capacity_one_per_day unique (university_code, snapshot_on) deferrable initially immediate
);

create trigger capacity_data_version after insert or update or delete or truncate on capacity
  for each statement execute function bump_data_version();

alter table import_batch drop constraint import_batch_kind_check;
alter table import_batch add constraint import_batch_kind_check
  check (kind in ('tech_transfer', 'payment', 'incubation', 'talent', 'credit', 'capacity'));

-- Each snapshot with the day the next snapshot of its university replaces it (null: the latest).
create view capacity_fact as
select c.id, c.university_code, c.ref, c.snapshot_on, c.transfer_offices, c.staff, c.tech_managers, c.co_built,
       c.created_at, c.updated_at, c.created_by, c.updated_by,
       lead(c.snapshot_on) over (partition by c.university_code order by c.snapshot_on) as superseded_on
from capacity as c;

alter table incubation
  add column company_registered_on date,
  add column company_stake text,
  add constraint incubation_company_stake_check check (company_stake in ('founded', 'shareholder')),
  add constraint incubation_company_complete check ((company_registered_on is null) = (company_stake is null));

-- Companies registered in a period are read from this index alone.
create index incubation_company_cover_idx on incubation (company_registered_on)
  include (university_code, company_stake, field_code, partner_university_code, stage)
  where company_registered_on is not null;

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
drop table if exists rollup_tech_transfer_ru;
drop table if exists rollup_tech_transfer_rumr;
drop table if exists rollup_tech_transfer_rall;
drop table if exists rollup_tech_transfer_ud;
drop table if exists rollup_tech_transfer_rud;

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

create table rollup_tech_transfer_ru (
  university_code text not null,
  rewarded_on date not null,
  records bigint not null,
  reward_cash_cny numeric not null,
  reward_equity_cny numeric not null,
  rewarded_people numeric not null
);
create unique index rollup_tech_transfer_ru_key on rollup_tech_transfer_ru (university_code, rewarded_on) nulls not distinct;
insert into rollup_tech_transfer_ru (university_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
  select university_code as university_code, date_trunc('month', rewarded_on)::date as rewarded_on, count(*) as records, sum(reward_cash_cny) as reward_cash_cny, sum(reward_equity_cny) as reward_equity_cny, sum(rewarded_people) as rewarded_people from tech_transfer where rewarded_on is not null group by 1, 2 order by 1, 2;

create table rollup_tech_transfer_rumr (
  university_code text not null,
  mode text,
  partner_region_code text,
  rewarded_on date not null,
  records bigint not null,
  reward_cash_cny numeric not null,
  reward_equity_cny numeric not null,
  rewarded_people numeric not null
);
create unique index rollup_tech_transfer_rumr_key on rollup_tech_transfer_rumr (university_code, mode, partner_region_code, rewarded_on) nulls not distinct;
insert into rollup_tech_transfer_rumr (university_code, mode, partner_region_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
  select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', rewarded_on)::date as rewarded_on, count(*) as records, sum(reward_cash_cny) as reward_cash_cny, sum(reward_equity_cny) as reward_equity_cny, sum(rewarded_people) as rewarded_people from tech_transfer where rewarded_on is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4;

create table rollup_tech_transfer_rall (
  university_code text not null,
  co_university_code text,
  mode text,
  partner_region_code text,
  field_code text,
  rewarded_on date not null,
  value_band text,
  records bigint not null,
  reward_cash_cny numeric not null,
  reward_equity_cny numeric not null,
  rewarded_people numeric not null
);
create unique index rollup_tech_transfer_rall_key on rollup_tech_transfer_rall (university_code, co_university_code, mode, partner_region_code, field_code, rewarded_on, value_band) nulls not distinct;
insert into rollup_tech_transfer_rall (university_code, co_university_code, mode, partner_region_code, field_code, rewarded_on, value_band, records, reward_cash_cny, reward_equity_cny, rewarded_people)
  select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', rewarded_on)::date as rewarded_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, count(*) as records, sum(reward_cash_cny) as reward_cash_cny, sum(reward_equity_cny) as reward_equity_cny, sum(rewarded_people) as rewarded_people from tech_transfer where rewarded_on is not null group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7;

create table rollup_tech_transfer_ud (
  university_code text not null,
  signed_on date not null,
  records bigint not null,
  contract_value_cny numeric not null,
  received_cny numeric not null,
  patents numeric not null
);
create unique index rollup_tech_transfer_ud_key on rollup_tech_transfer_ud (university_code, signed_on) nulls not distinct;
create index rollup_tech_transfer_ud_day on rollup_tech_transfer_ud (signed_on);
insert into rollup_tech_transfer_ud (university_code, signed_on, records, contract_value_cny, received_cny, patents)
  select university_code as university_code, signed_on as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from tech_transfer group by 1, 2 order by 1, 2;

create table rollup_tech_transfer_rud (
  university_code text not null,
  rewarded_on date not null,
  records bigint not null,
  reward_cash_cny numeric not null,
  reward_equity_cny numeric not null,
  rewarded_people numeric not null
);
create unique index rollup_tech_transfer_rud_key on rollup_tech_transfer_rud (university_code, rewarded_on) nulls not distinct;
create index rollup_tech_transfer_rud_day on rollup_tech_transfer_rud (rewarded_on);
insert into rollup_tech_transfer_rud (university_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
  select university_code as university_code, rewarded_on as rewarded_on, count(*) as records, sum(reward_cash_cny) as reward_cash_cny, sum(reward_equity_cny) as reward_equity_cny, sum(rewarded_people) as rewarded_people from tech_transfer where rewarded_on is not null group by 1, 2 order by 1, 2;

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
    insert into rollup_tech_transfer_ru as rollup_tech_transfer_ru (university_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
      select university_code as university_code, date_trunc('month', rewarded_on)::date as rewarded_on, -count(*) as records, -sum(reward_cash_cny) as reward_cash_cny, -sum(reward_equity_cny) as reward_equity_cny, -sum(rewarded_people) as rewarded_people from old_rows where rewarded_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, rewarded_on) do update set records = rollup_tech_transfer_ru.records + excluded.records, reward_cash_cny = rollup_tech_transfer_ru.reward_cash_cny + excluded.reward_cash_cny, reward_equity_cny = rollup_tech_transfer_ru.reward_equity_cny + excluded.reward_equity_cny, rewarded_people = rollup_tech_transfer_ru.rewarded_people + excluded.rewarded_people;
    insert into rollup_tech_transfer_rumr as rollup_tech_transfer_rumr (university_code, mode, partner_region_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
      select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', rewarded_on)::date as rewarded_on, -count(*) as records, -sum(reward_cash_cny) as reward_cash_cny, -sum(reward_equity_cny) as reward_equity_cny, -sum(rewarded_people) as rewarded_people from old_rows where rewarded_on is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, mode, partner_region_code, rewarded_on) do update set records = rollup_tech_transfer_rumr.records + excluded.records, reward_cash_cny = rollup_tech_transfer_rumr.reward_cash_cny + excluded.reward_cash_cny, reward_equity_cny = rollup_tech_transfer_rumr.reward_equity_cny + excluded.reward_equity_cny, rewarded_people = rollup_tech_transfer_rumr.rewarded_people + excluded.rewarded_people;
    insert into rollup_tech_transfer_rall as rollup_tech_transfer_rall (university_code, co_university_code, mode, partner_region_code, field_code, rewarded_on, value_band, records, reward_cash_cny, reward_equity_cny, rewarded_people)
      select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', rewarded_on)::date as rewarded_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, -count(*) as records, -sum(reward_cash_cny) as reward_cash_cny, -sum(reward_equity_cny) as reward_equity_cny, -sum(rewarded_people) as rewarded_people from old_rows where rewarded_on is not null group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, co_university_code, mode, partner_region_code, field_code, rewarded_on, value_band) do update set records = rollup_tech_transfer_rall.records + excluded.records, reward_cash_cny = rollup_tech_transfer_rall.reward_cash_cny + excluded.reward_cash_cny, reward_equity_cny = rollup_tech_transfer_rall.reward_equity_cny + excluded.reward_equity_cny, rewarded_people = rollup_tech_transfer_rall.rewarded_people + excluded.rewarded_people;
    insert into rollup_tech_transfer_ud as rollup_tech_transfer_ud (university_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, signed_on as signed_on, -count(*) as records, -sum(contract_value_cny) as contract_value_cny, -sum(received_cny) as received_cny, -sum(patents) as patents from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, signed_on) do update set records = rollup_tech_transfer_ud.records + excluded.records, contract_value_cny = rollup_tech_transfer_ud.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_ud.received_cny + excluded.received_cny, patents = rollup_tech_transfer_ud.patents + excluded.patents;
    insert into rollup_tech_transfer_rud as rollup_tech_transfer_rud (university_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
      select university_code as university_code, rewarded_on as rewarded_on, -count(*) as records, -sum(reward_cash_cny) as reward_cash_cny, -sum(reward_equity_cny) as reward_equity_cny, -sum(rewarded_people) as rewarded_people from old_rows where rewarded_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, rewarded_on) do update set records = rollup_tech_transfer_rud.records + excluded.records, reward_cash_cny = rollup_tech_transfer_rud.reward_cash_cny + excluded.reward_cash_cny, reward_equity_cny = rollup_tech_transfer_rud.reward_equity_cny + excluded.reward_equity_cny, rewarded_people = rollup_tech_transfer_rud.rewarded_people + excluded.rewarded_people;
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
    insert into rollup_tech_transfer_ru as rollup_tech_transfer_ru (university_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
      select university_code as university_code, date_trunc('month', rewarded_on)::date as rewarded_on, count(*) as records, sum(reward_cash_cny) as reward_cash_cny, sum(reward_equity_cny) as reward_equity_cny, sum(rewarded_people) as rewarded_people from new_rows where rewarded_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, rewarded_on) do update set records = rollup_tech_transfer_ru.records + excluded.records, reward_cash_cny = rollup_tech_transfer_ru.reward_cash_cny + excluded.reward_cash_cny, reward_equity_cny = rollup_tech_transfer_ru.reward_equity_cny + excluded.reward_equity_cny, rewarded_people = rollup_tech_transfer_ru.rewarded_people + excluded.rewarded_people;
    insert into rollup_tech_transfer_rumr as rollup_tech_transfer_rumr (university_code, mode, partner_region_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
      select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', rewarded_on)::date as rewarded_on, count(*) as records, sum(reward_cash_cny) as reward_cash_cny, sum(reward_equity_cny) as reward_equity_cny, sum(rewarded_people) as rewarded_people from new_rows where rewarded_on is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, mode, partner_region_code, rewarded_on) do update set records = rollup_tech_transfer_rumr.records + excluded.records, reward_cash_cny = rollup_tech_transfer_rumr.reward_cash_cny + excluded.reward_cash_cny, reward_equity_cny = rollup_tech_transfer_rumr.reward_equity_cny + excluded.reward_equity_cny, rewarded_people = rollup_tech_transfer_rumr.rewarded_people + excluded.rewarded_people;
    insert into rollup_tech_transfer_rall as rollup_tech_transfer_rall (university_code, co_university_code, mode, partner_region_code, field_code, rewarded_on, value_band, records, reward_cash_cny, reward_equity_cny, rewarded_people)
      select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', rewarded_on)::date as rewarded_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, count(*) as records, sum(reward_cash_cny) as reward_cash_cny, sum(reward_equity_cny) as reward_equity_cny, sum(rewarded_people) as rewarded_people from new_rows where rewarded_on is not null group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, co_university_code, mode, partner_region_code, field_code, rewarded_on, value_band) do update set records = rollup_tech_transfer_rall.records + excluded.records, reward_cash_cny = rollup_tech_transfer_rall.reward_cash_cny + excluded.reward_cash_cny, reward_equity_cny = rollup_tech_transfer_rall.reward_equity_cny + excluded.reward_equity_cny, rewarded_people = rollup_tech_transfer_rall.rewarded_people + excluded.rewarded_people;
    insert into rollup_tech_transfer_ud as rollup_tech_transfer_ud (university_code, signed_on, records, contract_value_cny, received_cny, patents)
      select university_code as university_code, signed_on as signed_on, count(*) as records, sum(contract_value_cny) as contract_value_cny, sum(received_cny) as received_cny, sum(patents) as patents from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, signed_on) do update set records = rollup_tech_transfer_ud.records + excluded.records, contract_value_cny = rollup_tech_transfer_ud.contract_value_cny + excluded.contract_value_cny, received_cny = rollup_tech_transfer_ud.received_cny + excluded.received_cny, patents = rollup_tech_transfer_ud.patents + excluded.patents;
    insert into rollup_tech_transfer_rud as rollup_tech_transfer_rud (university_code, rewarded_on, records, reward_cash_cny, reward_equity_cny, rewarded_people)
      select university_code as university_code, rewarded_on as rewarded_on, count(*) as records, sum(reward_cash_cny) as reward_cash_cny, sum(reward_equity_cny) as reward_equity_cny, sum(rewarded_people) as rewarded_people from new_rows where rewarded_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, rewarded_on) do update set records = rollup_tech_transfer_rud.records + excluded.records, reward_cash_cny = rollup_tech_transfer_rud.reward_cash_cny + excluded.reward_cash_cny, reward_equity_cny = rollup_tech_transfer_rud.reward_equity_cny + excluded.reward_equity_cny, rewarded_people = rollup_tech_transfer_rud.rewarded_people + excluded.rewarded_people;
  end if;
  if tg_op = 'UPDATE' then
    insert into rollup_payment_up as rollup_payment_up (university_code, co_university_code, received_on, records, amount_cny)
      select university_code as university_code, co_university_code as co_university_code, date_trunc('month', received_on)::date as received_on, -count(*) as records, -sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny from old_rows as o inner join new_rows as n on n.id = o.id inner join payment as p on p.university_code = o.university_code and p.contract_ref = o.ref where (o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny) is distinct from (n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny)) as f group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, co_university_code, received_on) do update set records = rollup_payment_up.records + excluded.records, amount_cny = rollup_payment_up.amount_cny + excluded.amount_cny;
    insert into rollup_payment_umr as rollup_payment_umr (university_code, mode, partner_region_code, received_on, records, amount_cny)
      select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', received_on)::date as received_on, -count(*) as records, -sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny from old_rows as o inner join new_rows as n on n.id = o.id inner join payment as p on p.university_code = o.university_code and p.contract_ref = o.ref where (o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny) is distinct from (n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny)) as f group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, mode, partner_region_code, received_on) do update set records = rollup_payment_umr.records + excluded.records, amount_cny = rollup_payment_umr.amount_cny + excluded.amount_cny;
    insert into rollup_payment_all as rollup_payment_all (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band, records, amount_cny)
      select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', received_on)::date as received_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, -count(*) as records, -sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny from old_rows as o inner join new_rows as n on n.id = o.id inner join payment as p on p.university_code = o.university_code and p.contract_ref = o.ref where (o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny) is distinct from (n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny)) as f group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band) do update set records = rollup_payment_all.records + excluded.records, amount_cny = rollup_payment_all.amount_cny + excluded.amount_cny;
    insert into rollup_payment_up as rollup_payment_up (university_code, co_university_code, received_on, records, amount_cny)
      select university_code as university_code, co_university_code as co_university_code, date_trunc('month', received_on)::date as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny from old_rows as o inner join new_rows as n on n.id = o.id inner join payment as p on p.university_code = n.university_code and p.contract_ref = n.ref where (o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny) is distinct from (n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny)) as f group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, co_university_code, received_on) do update set records = rollup_payment_up.records + excluded.records, amount_cny = rollup_payment_up.amount_cny + excluded.amount_cny;
    insert into rollup_payment_umr as rollup_payment_umr (university_code, mode, partner_region_code, received_on, records, amount_cny)
      select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', received_on)::date as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny from old_rows as o inner join new_rows as n on n.id = o.id inner join payment as p on p.university_code = n.university_code and p.contract_ref = n.ref where (o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny) is distinct from (n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny)) as f group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, mode, partner_region_code, received_on) do update set records = rollup_payment_umr.records + excluded.records, amount_cny = rollup_payment_umr.amount_cny + excluded.amount_cny;
    insert into rollup_payment_all as rollup_payment_all (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band, records, amount_cny)
      select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', received_on)::date as received_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny from old_rows as o inner join new_rows as n on n.id = o.id inner join payment as p on p.university_code = n.university_code and p.contract_ref = n.ref where (o.co_university_code, o.mode, o.partner_region_code, o.field_code, o.contract_value_cny) is distinct from (n.co_university_code, n.mode, n.partner_region_code, n.field_code, n.contract_value_cny)) as f group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band) do update set records = rollup_payment_all.records + excluded.records, amount_cny = rollup_payment_all.amount_cny + excluded.amount_cny;
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
  truncate rollup_tech_transfer_ru;
  truncate rollup_tech_transfer_rumr;
  truncate rollup_tech_transfer_rall;
  truncate rollup_tech_transfer_ud;
  truncate rollup_tech_transfer_rud;
  return null;
end
$$;
create trigger tech_transfer_rollup_truncate after truncate on tech_transfer for each statement execute function tech_transfer_rollup_truncate();
create trigger tech_transfer_rollup_insert after insert on tech_transfer referencing new table as new_rows for each statement execute function tech_transfer_rollup();
create trigger tech_transfer_rollup_update after update on tech_transfer referencing old table as old_rows new table as new_rows for each statement execute function tech_transfer_rollup();
create trigger tech_transfer_rollup_delete after delete on tech_transfer referencing old table as old_rows for each statement execute function tech_transfer_rollup();

drop trigger if exists payment_rollup_truncate on payment;
drop trigger if exists payment_rollup_insert on payment;
drop trigger if exists payment_rollup_update on payment;
drop trigger if exists payment_rollup_delete on payment;
drop function if exists payment_rollup();
drop function if exists payment_rollup_truncate();
drop table if exists rollup_payment_u;
drop table if exists rollup_payment_up;
drop table if exists rollup_payment_umr;
drop table if exists rollup_payment_all;
drop table if exists rollup_payment_ud;

create table rollup_payment_u (
  university_code text not null,
  received_on date not null,
  records bigint not null,
  amount_cny numeric not null
);
create unique index rollup_payment_u_key on rollup_payment_u (university_code, received_on) nulls not distinct;
insert into rollup_payment_u (university_code, received_on, records, amount_cny)
  select university_code as university_code, date_trunc('month', received_on)::date as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from payment as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2 order by 1, 2;

create table rollup_payment_up (
  university_code text not null,
  co_university_code text,
  received_on date not null,
  records bigint not null,
  amount_cny numeric not null
);
create unique index rollup_payment_up_key on rollup_payment_up (university_code, co_university_code, received_on) nulls not distinct;
insert into rollup_payment_up (university_code, co_university_code, received_on, records, amount_cny)
  select university_code as university_code, co_university_code as co_university_code, date_trunc('month', received_on)::date as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from payment as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3 order by 1, 2, 3;

create table rollup_payment_umr (
  university_code text not null,
  mode text,
  partner_region_code text,
  received_on date not null,
  records bigint not null,
  amount_cny numeric not null
);
create unique index rollup_payment_umr_key on rollup_payment_umr (university_code, mode, partner_region_code, received_on) nulls not distinct;
insert into rollup_payment_umr (university_code, mode, partner_region_code, received_on, records, amount_cny)
  select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', received_on)::date as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from payment as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3, 4 order by 1, 2, 3, 4;

create table rollup_payment_all (
  university_code text not null,
  co_university_code text,
  mode text,
  partner_region_code text,
  field_code text,
  received_on date not null,
  value_band text,
  records bigint not null,
  amount_cny numeric not null
);
create unique index rollup_payment_all_key on rollup_payment_all (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band) nulls not distinct;
insert into rollup_payment_all (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band, records, amount_cny)
  select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', received_on)::date as received_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from payment as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7;

create table rollup_payment_ud (
  university_code text not null,
  received_on date not null,
  records bigint not null,
  amount_cny numeric not null
);
create unique index rollup_payment_ud_key on rollup_payment_ud (university_code, received_on) nulls not distinct;
create index rollup_payment_ud_day on rollup_payment_ud (received_on);
insert into rollup_payment_ud (university_code, received_on, records, amount_cny)
  select university_code as university_code, received_on as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from payment as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2 order by 1, 2;

create function payment_rollup() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    insert into rollup_payment_u as rollup_payment_u (university_code, received_on, records, amount_cny)
      select university_code as university_code, date_trunc('month', received_on)::date as received_on, -count(*) as records, -sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from old_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2 order by 1, 2
      on conflict (university_code, received_on) do update set records = rollup_payment_u.records + excluded.records, amount_cny = rollup_payment_u.amount_cny + excluded.amount_cny;
    insert into rollup_payment_up as rollup_payment_up (university_code, co_university_code, received_on, records, amount_cny)
      select university_code as university_code, co_university_code as co_university_code, date_trunc('month', received_on)::date as received_on, -count(*) as records, -sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from old_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, co_university_code, received_on) do update set records = rollup_payment_up.records + excluded.records, amount_cny = rollup_payment_up.amount_cny + excluded.amount_cny;
    insert into rollup_payment_umr as rollup_payment_umr (university_code, mode, partner_region_code, received_on, records, amount_cny)
      select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', received_on)::date as received_on, -count(*) as records, -sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from old_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, mode, partner_region_code, received_on) do update set records = rollup_payment_umr.records + excluded.records, amount_cny = rollup_payment_umr.amount_cny + excluded.amount_cny;
    insert into rollup_payment_all as rollup_payment_all (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band, records, amount_cny)
      select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', received_on)::date as received_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, -count(*) as records, -sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from old_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band) do update set records = rollup_payment_all.records + excluded.records, amount_cny = rollup_payment_all.amount_cny + excluded.amount_cny;
    insert into rollup_payment_ud as rollup_payment_ud (university_code, received_on, records, amount_cny)
      select university_code as university_code, received_on as received_on, -count(*) as records, -sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from old_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2 order by 1, 2
      on conflict (university_code, received_on) do update set records = rollup_payment_ud.records + excluded.records, amount_cny = rollup_payment_ud.amount_cny + excluded.amount_cny;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into rollup_payment_u as rollup_payment_u (university_code, received_on, records, amount_cny)
      select university_code as university_code, date_trunc('month', received_on)::date as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from new_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2 order by 1, 2
      on conflict (university_code, received_on) do update set records = rollup_payment_u.records + excluded.records, amount_cny = rollup_payment_u.amount_cny + excluded.amount_cny;
    insert into rollup_payment_up as rollup_payment_up (university_code, co_university_code, received_on, records, amount_cny)
      select university_code as university_code, co_university_code as co_university_code, date_trunc('month', received_on)::date as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from new_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, co_university_code, received_on) do update set records = rollup_payment_up.records + excluded.records, amount_cny = rollup_payment_up.amount_cny + excluded.amount_cny;
    insert into rollup_payment_umr as rollup_payment_umr (university_code, mode, partner_region_code, received_on, records, amount_cny)
      select university_code as university_code, mode as mode, partner_region_code as partner_region_code, date_trunc('month', received_on)::date as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from new_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3, 4 order by 1, 2, 3, 4
      on conflict (university_code, mode, partner_region_code, received_on) do update set records = rollup_payment_umr.records + excluded.records, amount_cny = rollup_payment_umr.amount_cny + excluded.amount_cny;
    insert into rollup_payment_all as rollup_payment_all (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band, records, amount_cny)
      select university_code as university_code, co_university_code as co_university_code, mode as mode, partner_region_code as partner_region_code, field_code as field_code, date_trunc('month', received_on)::date as received_on, case
  when contract_value_cny < 1000000 then 'under_1m'
  when contract_value_cny < 10000000 then '1m_to_10m'
  when contract_value_cny < 100000000 then '10m_to_100m'
  else '100m_and_over' end as value_band, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from new_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, co_university_code, mode, partner_region_code, field_code, received_on, value_band) do update set records = rollup_payment_all.records + excluded.records, amount_cny = rollup_payment_all.amount_cny + excluded.amount_cny;
    insert into rollup_payment_ud as rollup_payment_ud (university_code, received_on, records, amount_cny)
      select university_code as university_code, received_on as received_on, count(*) as records, sum(amount_cny) as amount_cny from (select p.university_code, p.received_on, p.amount_cny, t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny from new_rows as p inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref) as f group by 1, 2 order by 1, 2
      on conflict (university_code, received_on) do update set records = rollup_payment_ud.records + excluded.records, amount_cny = rollup_payment_ud.amount_cny + excluded.amount_cny;
  end if;

  return null;
end
$$;
create function payment_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_payment_u;
  truncate rollup_payment_up;
  truncate rollup_payment_umr;
  truncate rollup_payment_all;
  truncate rollup_payment_ud;
  return null;
end
$$;
create trigger payment_rollup_truncate after truncate on payment for each statement execute function payment_rollup_truncate();
create trigger payment_rollup_insert after insert on payment referencing new table as new_rows for each statement execute function payment_rollup();
create trigger payment_rollup_update after update on payment referencing old table as old_rows new table as new_rows for each statement execute function payment_rollup();
create trigger payment_rollup_delete after delete on payment referencing old table as old_rows for each statement execute function payment_rollup();

drop trigger if exists incubation_rollup_truncate on incubation;
drop trigger if exists incubation_rollup_insert on incubation;
drop trigger if exists incubation_rollup_update on incubation;
drop trigger if exists incubation_rollup_delete on incubation;
drop function if exists incubation_rollup();
drop function if exists incubation_rollup_truncate();
drop table if exists rollup_incubation_ue;
drop table if exists rollup_incubation_u;
drop table if exists rollup_incubation_all;
drop table if exists rollup_incubation_cu;
drop table if exists rollup_incubation_ud;
drop table if exists rollup_incubation_gud;
drop table if exists rollup_incubation_cud;

create table rollup_incubation_ue (
  university_code text not null,
  entered_on date not null,
  records bigint not null,
  funding_cny numeric not null,
  jobs numeric not null
);
create unique index rollup_incubation_ue_key on rollup_incubation_ue (university_code, entered_on) nulls not distinct;
insert into rollup_incubation_ue (university_code, entered_on, records, funding_cny, jobs)
  select university_code as university_code, date_trunc('month', entered_on)::date as entered_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from incubation group by 1, 2 order by 1, 2;

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

create table rollup_incubation_cu (
  university_code text not null,
  company_stake text,
  company_registered_on date not null,
  records bigint not null
);
create unique index rollup_incubation_cu_key on rollup_incubation_cu (university_code, company_stake, company_registered_on) nulls not distinct;
insert into rollup_incubation_cu (university_code, company_stake, company_registered_on, records)
  select university_code as university_code, company_stake as company_stake, date_trunc('month', company_registered_on)::date as company_registered_on, count(*) as records from incubation where company_registered_on is not null group by 1, 2, 3 order by 1, 2, 3;

create table rollup_incubation_ud (
  university_code text not null,
  entered_on date not null,
  records bigint not null,
  funding_cny numeric not null,
  jobs numeric not null
);
create unique index rollup_incubation_ud_key on rollup_incubation_ud (university_code, entered_on) nulls not distinct;
create index rollup_incubation_ud_day on rollup_incubation_ud (entered_on);
insert into rollup_incubation_ud (university_code, entered_on, records, funding_cny, jobs)
  select university_code as university_code, entered_on as entered_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from incubation group by 1, 2 order by 1, 2;

create table rollup_incubation_gud (
  university_code text not null,
  graduated_on date not null,
  records bigint not null
);
create unique index rollup_incubation_gud_key on rollup_incubation_gud (university_code, graduated_on) nulls not distinct;
create index rollup_incubation_gud_day on rollup_incubation_gud (graduated_on);
insert into rollup_incubation_gud (university_code, graduated_on, records)
  select university_code as university_code, graduated_on as graduated_on, count(*) as records from incubation where graduated_on is not null group by 1, 2 order by 1, 2;

create table rollup_incubation_cud (
  university_code text not null,
  company_registered_on date not null,
  records bigint not null
);
create unique index rollup_incubation_cud_key on rollup_incubation_cud (university_code, company_registered_on) nulls not distinct;
create index rollup_incubation_cud_day on rollup_incubation_cud (company_registered_on);
insert into rollup_incubation_cud (university_code, company_registered_on, records)
  select university_code as university_code, company_registered_on as company_registered_on, count(*) as records from incubation where company_registered_on is not null group by 1, 2 order by 1, 2;

create function incubation_rollup() returns trigger language plpgsql as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    insert into rollup_incubation_ue as rollup_incubation_ue (university_code, entered_on, records, funding_cny, jobs)
      select university_code as university_code, date_trunc('month', entered_on)::date as entered_on, -count(*) as records, -sum(funding_cny) as funding_cny, -sum(jobs) as jobs from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, entered_on) do update set records = rollup_incubation_ue.records + excluded.records, funding_cny = rollup_incubation_ue.funding_cny + excluded.funding_cny, jobs = rollup_incubation_ue.jobs + excluded.jobs;
    insert into rollup_incubation_u as rollup_incubation_u (university_code, stage, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
      select university_code as university_code, stage as stage, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, -count(*) as records, -sum(funding_cny) as funding_cny, -sum(jobs) as jobs from old_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (university_code, stage, entered_on, graduated_on, closed_on) do update set records = rollup_incubation_u.records + excluded.records, funding_cny = rollup_incubation_u.funding_cny + excluded.funding_cny, jobs = rollup_incubation_u.jobs + excluded.jobs;
    insert into rollup_incubation_all as rollup_incubation_all (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
      select university_code as university_code, stage as stage, partner_university_code as partner_university_code, field_code as field_code, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, -count(*) as records, -sum(funding_cny) as funding_cny, -sum(jobs) as jobs from old_rows group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on) do update set records = rollup_incubation_all.records + excluded.records, funding_cny = rollup_incubation_all.funding_cny + excluded.funding_cny, jobs = rollup_incubation_all.jobs + excluded.jobs;
    insert into rollup_incubation_cu as rollup_incubation_cu (university_code, company_stake, company_registered_on, records)
      select university_code as university_code, company_stake as company_stake, date_trunc('month', company_registered_on)::date as company_registered_on, -count(*) as records from old_rows where company_registered_on is not null group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, company_stake, company_registered_on) do update set records = rollup_incubation_cu.records + excluded.records;
    insert into rollup_incubation_ud as rollup_incubation_ud (university_code, entered_on, records, funding_cny, jobs)
      select university_code as university_code, entered_on as entered_on, -count(*) as records, -sum(funding_cny) as funding_cny, -sum(jobs) as jobs from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, entered_on) do update set records = rollup_incubation_ud.records + excluded.records, funding_cny = rollup_incubation_ud.funding_cny + excluded.funding_cny, jobs = rollup_incubation_ud.jobs + excluded.jobs;
    insert into rollup_incubation_gud as rollup_incubation_gud (university_code, graduated_on, records)
      select university_code as university_code, graduated_on as graduated_on, -count(*) as records from old_rows where graduated_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, graduated_on) do update set records = rollup_incubation_gud.records + excluded.records;
    insert into rollup_incubation_cud as rollup_incubation_cud (university_code, company_registered_on, records)
      select university_code as university_code, company_registered_on as company_registered_on, -count(*) as records from old_rows where company_registered_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, company_registered_on) do update set records = rollup_incubation_cud.records + excluded.records;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into rollup_incubation_ue as rollup_incubation_ue (university_code, entered_on, records, funding_cny, jobs)
      select university_code as university_code, date_trunc('month', entered_on)::date as entered_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, entered_on) do update set records = rollup_incubation_ue.records + excluded.records, funding_cny = rollup_incubation_ue.funding_cny + excluded.funding_cny, jobs = rollup_incubation_ue.jobs + excluded.jobs;
    insert into rollup_incubation_u as rollup_incubation_u (university_code, stage, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
      select university_code as university_code, stage as stage, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from new_rows group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (university_code, stage, entered_on, graduated_on, closed_on) do update set records = rollup_incubation_u.records + excluded.records, funding_cny = rollup_incubation_u.funding_cny + excluded.funding_cny, jobs = rollup_incubation_u.jobs + excluded.jobs;
    insert into rollup_incubation_all as rollup_incubation_all (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on, records, funding_cny, jobs)
      select university_code as university_code, stage as stage, partner_university_code as partner_university_code, field_code as field_code, date_trunc('month', entered_on)::date as entered_on, date_trunc('month', graduated_on)::date as graduated_on, date_trunc('month', closed_on)::date as closed_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from new_rows group by 1, 2, 3, 4, 5, 6, 7 order by 1, 2, 3, 4, 5, 6, 7
      on conflict (university_code, stage, partner_university_code, field_code, entered_on, graduated_on, closed_on) do update set records = rollup_incubation_all.records + excluded.records, funding_cny = rollup_incubation_all.funding_cny + excluded.funding_cny, jobs = rollup_incubation_all.jobs + excluded.jobs;
    insert into rollup_incubation_cu as rollup_incubation_cu (university_code, company_stake, company_registered_on, records)
      select university_code as university_code, company_stake as company_stake, date_trunc('month', company_registered_on)::date as company_registered_on, count(*) as records from new_rows where company_registered_on is not null group by 1, 2, 3 order by 1, 2, 3
      on conflict (university_code, company_stake, company_registered_on) do update set records = rollup_incubation_cu.records + excluded.records;
    insert into rollup_incubation_ud as rollup_incubation_ud (university_code, entered_on, records, funding_cny, jobs)
      select university_code as university_code, entered_on as entered_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, entered_on) do update set records = rollup_incubation_ud.records + excluded.records, funding_cny = rollup_incubation_ud.funding_cny + excluded.funding_cny, jobs = rollup_incubation_ud.jobs + excluded.jobs;
    insert into rollup_incubation_gud as rollup_incubation_gud (university_code, graduated_on, records)
      select university_code as university_code, graduated_on as graduated_on, count(*) as records from new_rows where graduated_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, graduated_on) do update set records = rollup_incubation_gud.records + excluded.records;
    insert into rollup_incubation_cud as rollup_incubation_cud (university_code, company_registered_on, records)
      select university_code as university_code, company_registered_on as company_registered_on, count(*) as records from new_rows where company_registered_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, company_registered_on) do update set records = rollup_incubation_cud.records + excluded.records;
  end if;

  return null;
end
$$;
create function incubation_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_incubation_ue;
  truncate rollup_incubation_u;
  truncate rollup_incubation_all;
  truncate rollup_incubation_cu;
  truncate rollup_incubation_ud;
  truncate rollup_incubation_gud;
  truncate rollup_incubation_cud;
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
drop table if exists rollup_talent_cud;

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
create index rollup_talent_ud_day on rollup_talent_ud (started_on);
insert into rollup_talent_ud (university_code, started_on, records, trainees, graduates)
  select university_code as university_code, started_on as started_on, count(*) as records, sum(trainees) as trainees, sum(graduates) as graduates from talent group by 1, 2 order by 1, 2;

create table rollup_talent_cud (
  university_code text not null,
  completed_on date not null,
  records bigint not null,
  graduates numeric not null
);
create unique index rollup_talent_cud_key on rollup_talent_cud (university_code, completed_on) nulls not distinct;
create index rollup_talent_cud_day on rollup_talent_cud (completed_on);
insert into rollup_talent_cud (university_code, completed_on, records, graduates)
  select university_code as university_code, completed_on as completed_on, count(*) as records, sum(graduates) as graduates from talent where completed_on is not null group by 1, 2 order by 1, 2;

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
    insert into rollup_talent_cud as rollup_talent_cud (university_code, completed_on, records, graduates)
      select university_code as university_code, completed_on as completed_on, -count(*) as records, -sum(graduates) as graduates from old_rows where completed_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, completed_on) do update set records = rollup_talent_cud.records + excluded.records, graduates = rollup_talent_cud.graduates + excluded.graduates;
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
    insert into rollup_talent_cud as rollup_talent_cud (university_code, completed_on, records, graduates)
      select university_code as university_code, completed_on as completed_on, count(*) as records, sum(graduates) as graduates from new_rows where completed_on is not null group by 1, 2 order by 1, 2
      on conflict (university_code, completed_on) do update set records = rollup_talent_cud.records + excluded.records, graduates = rollup_talent_cud.graduates + excluded.graduates;
  end if;

  return null;
end
$$;
create function talent_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_talent_u;
  truncate rollup_talent_all;
  truncate rollup_talent_ud;
  truncate rollup_talent_cud;
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
create index rollup_credit_ud_day on rollup_credit_ud (recognized_on);
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
