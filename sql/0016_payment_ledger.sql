-- Cash received as the national annual report counts it (当年到账金额): by the day each payment
-- arrives, whatever year its contract was signed in (issue: the figures as the law counts them).
--
-- payment: one row per receipt of cash on a technology contract, named by the contract's
-- university and ref. The database refuses a payment dated before its contract was signed, and
-- payments that would sum above the contract value (tech_transfer_received_within_value, on the
-- contract's received_cny, which is from now on the sum of its payments, kept here).
--
-- Existing data: each contract's received_cny becomes one payment dated the day of signing, with
-- the ref `<contract ref>-P1` (a ref longer than 61 characters: its first 28, `-P1-` and the md5
-- of the whole ref). That first payment is an approximation for data entered before the ledger:
-- it keeps every figure as it was, and stewards replace it with the real receipts
-- (docs/operations.md).

create table payment (
  id              bigint generated always as identity primary key,
  university_code text not null references university (code),
  ref             text not null check (btrim(ref) <> '' and length(ref) <= 64),
  contract_ref    text not null,
  received_on     date not null,
  amount_cny      numeric(16, 2) not null check (amount_cny > 0),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  created_by      bigint references app_user (id),
  updated_by      bigint references app_user (id),
  constraint payment_ref_key unique (university_code, ref),
  -- The contract is of the same university; one with payments cannot be deleted or renamed.
  constraint payment_contract_fkey foreign key (university_code, contract_ref) references tech_transfer (university_code, ref)
);

-- Every write of a payment moves the data version, as every write of a fact does (sql/0008).
create trigger payment_data_version after insert or update or delete or truncate on payment
  for each statement execute function bump_data_version();

-- Payment files are imports like the others.
alter table import_batch drop constraint import_batch_kind_check;
alter table import_batch add constraint import_batch_kind_check
  check (kind in ('tech_transfer', 'payment', 'incubation', 'talent', 'credit'));

create index payment_contract_idx on payment (university_code, contract_ref);
create index payment_university_received_idx on payment (university_code, received_on);
create index payment_received_cover_idx on payment (received_on) include (university_code, amount_cny);

insert into payment (university_code, ref, contract_ref, received_on, amount_cny, created_at, updated_at, created_by, updated_by)
select university_code,
       case when length(ref) <= 61 then ref || '-P1' else left(ref, 28) || '-P1-' || md5(ref) end,
       ref, signed_on, received_cny, created_at, updated_at, created_by, updated_by
from tech_transfer
where received_cny > 0;

-- The payments with their contract's dimensions: what the figures of cash received group by.
create view payment_fact as
select p.id, p.university_code, p.ref, p.contract_ref, p.received_on, p.amount_cny,
       p.created_at, p.updated_at, p.created_by, p.updated_by,
       t.co_university_code, t.mode, t.partner_region_code, t.field_code, t.contract_value_cny, t.signed_on
from payment as p
inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref;

-- A contract's payments sum to at most its value. Was a check on the row (sql/0003); now a
-- constraint trigger, checked when each statement ends like the check was, which a transaction may
-- defer to its commit (`set constraints tech_transfer_received_within_value deferred`): an import of
-- payments merged in parts may pass a value on the way (a later line lowers another payment).
alter table tech_transfer drop constraint tech_transfer_received_within_value;
create function tech_transfer_received_within_value() returns trigger language plpgsql as $$
begin
  -- The row as it is now: a deferred check sees the end of the transaction, not the event.
  perform 1 from tech_transfer where id = new.id and received_cny > contract_value_cny;
  if found then
    raise exception 'the payments on contract % of % sum above its contract value', new.ref, new.university_code
      using errcode = '23514', constraint = 'tech_transfer_received_within_value';
  end if;
  return null;
end
$$;
create constraint trigger tech_transfer_received_within_value after insert or update on tech_transfer
  deferrable initially immediate
  for each row when (new.received_cny > new.contract_value_cny)
  execute function tech_transfer_received_within_value();

-- A contract's received_cny is the sum of its payments. A write of its own (depth 1) is ignored:
-- a new contract has received nothing, a changed one keeps its sum; only the payments' trigger
-- below (depth 2) sets it.
create function tech_transfer_received_guard() returns trigger language plpgsql as $$
begin
  if pg_trigger_depth() = 1 then
    if tg_op = 'INSERT' then
      new.received_cny := 0;
    else
      new.received_cny := old.received_cny;
    end if;
  end if;
  return new;
end
$$;
create trigger tech_transfer_received_guard before insert or update on tech_transfer
  for each row execute function tech_transfer_received_guard();

-- The payments of a statement move their contracts' received_cny by their sum; the contract's
-- check (received_cny <= contract_value_cny) then refuses an overshoot, and a payment dated
-- before its contract was signed is refused here.
create function payment_received() returns trigger language plpgsql as $$
begin
  if tg_op in ('INSERT', 'UPDATE') then
    perform 1 from new_rows as p
      inner join tech_transfer as t on t.university_code = p.university_code and t.ref = p.contract_ref
      where p.received_on < t.signed_on
      limit 1;
    if found then
      raise exception 'a payment is dated before its contract was signed'
        using errcode = '23514', constraint = 'payment_not_before_signing';
    end if;
  end if;
  if tg_op = 'INSERT' then
    update tech_transfer as t set received_cny = t.received_cny + d.amount
      from (select university_code, contract_ref, sum(amount_cny) as amount from new_rows group by 1, 2) as d
      where t.university_code = d.university_code and t.ref = d.contract_ref;
  elsif tg_op = 'DELETE' then
    update tech_transfer as t set received_cny = t.received_cny - d.amount
      from (select university_code, contract_ref, sum(amount_cny) as amount from old_rows group by 1, 2) as d
      where t.university_code = d.university_code and t.ref = d.contract_ref;
  else
    update tech_transfer as t set received_cny = t.received_cny + d.amount
      from (
        select university_code, contract_ref, sum(amount) as amount
        from (
          select university_code, contract_ref, amount_cny as amount from new_rows
          union all
          select university_code, contract_ref, -amount_cny from old_rows
        ) as moves
        group by 1, 2
        having sum(amount) <> 0
      ) as d
      where t.university_code = d.university_code and t.ref = d.contract_ref;
  end if;
  return null;
end
$$;
create function payment_received_truncate() returns trigger language plpgsql as $$
begin
  update tech_transfer set received_cny = 0 where received_cny <> 0;
  return null;
end
$$;
create trigger payment_received_insert after insert on payment
  referencing new table as new_rows for each statement execute function payment_received();
create trigger payment_received_update after update on payment
  referencing old table as old_rows new table as new_rows for each statement execute function payment_received();
create trigger payment_received_delete after delete on payment
  referencing old table as old_rows for each statement execute function payment_received();
create trigger payment_received_truncate after truncate on payment
  for each statement execute function payment_received_truncate();

-- A contract signed later than one of its payments arrived: refused, as the payment would be.
-- (An update made by the payments' trigger, depth 2, changes only received_cny.)
create function tech_transfer_signed_check() returns trigger language plpgsql as $$
begin
  if pg_trigger_depth() > 1 then
    return null;
  end if;
  perform 1 from new_rows as t
    inner join payment as p on p.university_code = t.university_code and p.contract_ref = t.ref
    where p.received_on < t.signed_on
    limit 1;
  if found then
    raise exception 'a payment is dated before its contract was signed'
      using errcode = '23514', constraint = 'payment_not_before_signing';
  end if;
  return null;
end
$$;
create trigger tech_transfer_signed_check after update on tech_transfer
  referencing new table as new_rows for each statement execute function tech_transfer_signed_check();

-- The portfolio held on a day inside a month is read from these indexes alone: since sql/0015 a
-- project is held until the first of its graduation and closing dates, so each carries both.
drop index incubation_entered_cover_idx;
create index incubation_entered_cover_idx on incubation (entered_on)
  include (university_code, stage, graduated_on, closed_on, funding_cny, jobs);
drop index incubation_graduated_cover_idx;
create index incubation_graduated_cover_idx on incubation (graduated_on)
  include (university_code, stage, entered_on, closed_on) where graduated_on is not null;
drop index incubation_closed_cover_idx;
create index incubation_closed_cover_idx on incubation (closed_on)
  include (university_code, stage, entered_on, graduated_on) where closed_on is not null;

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
  truncate rollup_tech_transfer_ud;
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
drop table if exists rollup_incubation_ud;

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

create table rollup_incubation_ud (
  university_code text not null,
  entered_on date not null,
  records bigint not null,
  funding_cny numeric not null,
  jobs numeric not null
);
create unique index rollup_incubation_ud_key on rollup_incubation_ud (university_code, entered_on) nulls not distinct;
insert into rollup_incubation_ud (university_code, entered_on, records, funding_cny, jobs)
  select university_code as university_code, entered_on as entered_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from incubation group by 1, 2 order by 1, 2;

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
    insert into rollup_incubation_ud as rollup_incubation_ud (university_code, entered_on, records, funding_cny, jobs)
      select university_code as university_code, entered_on as entered_on, -count(*) as records, -sum(funding_cny) as funding_cny, -sum(jobs) as jobs from old_rows group by 1, 2 order by 1, 2
      on conflict (university_code, entered_on) do update set records = rollup_incubation_ud.records + excluded.records, funding_cny = rollup_incubation_ud.funding_cny + excluded.funding_cny, jobs = rollup_incubation_ud.jobs + excluded.jobs;
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
    insert into rollup_incubation_ud as rollup_incubation_ud (university_code, entered_on, records, funding_cny, jobs)
      select university_code as university_code, entered_on as entered_on, count(*) as records, sum(funding_cny) as funding_cny, sum(jobs) as jobs from new_rows group by 1, 2 order by 1, 2
      on conflict (university_code, entered_on) do update set records = rollup_incubation_ud.records + excluded.records, funding_cny = rollup_incubation_ud.funding_cny + excluded.funding_cny, jobs = rollup_incubation_ud.jobs + excluded.jobs;
  end if;

  return null;
end
$$;
create function incubation_rollup_truncate() returns trigger language plpgsql as $$
begin
  truncate rollup_incubation_ue;
  truncate rollup_incubation_u;
  truncate rollup_incubation_all;
  truncate rollup_incubation_ud;
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
