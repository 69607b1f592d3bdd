-- Targets, the audit log, import batches and the dataset's own settings.

create table target (
  id              bigint generated always as identity primary key,
  measure         text not null check (measure ~ '^[a-z_]+\.[a-z_]+$'),
  year            integer not null check (year between 2000 and 2100),
  -- Null for an alliance-wide target.
  university_code text references university (code),
  value           numeric(18, 2) not null check (value >= 0),
  updated_at      timestamptz not null default now(),
  updated_by      bigint references app_user (id)
);

create unique index target_key on target (measure, year, coalesce(university_code, ''));

create table audit_log (
  id         bigint generated always as identity primary key,
  at         timestamptz not null default now(),
  -- Kept as text as well as id so the entry outlives any change to the account.
  user_id    bigint,
  user_email text,
  address    text,
  action     text not null check (action in (
               'login', 'login_failed', 'logout', 'create', 'update', 'delete',
               'import', 'export', 'user_change', 'target_change', 'university_change', 'report_submit')),
  subject    text not null,
  before     jsonb,
  after      jsonb,
  detail     jsonb
);

create index audit_log_at_idx on audit_log (at);
create index audit_log_user_idx on audit_log (user_id, at);
create index audit_log_action_idx on audit_log (action, at);

-- The audit log is append-only: the database itself refuses to change or remove an entry.
create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_append_only
  before update or delete on audit_log
  for each row execute function audit_log_refuse_change();

create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_refuse_change();

create table import_batch (
  id          bigint generated always as identity primary key,
  kind        text not null check (kind in ('tech_transfer', 'incubation', 'talent', 'credit')),
  file_name   text,
  sha256      text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  status      text not null check (status in ('applied', 'rejected', 'dry_run')),
  row_count   integer not null default 0,
  inserted    integer not null default 0,
  updated     integer not null default 0,
  unchanged   integer not null default 0,
  error_count integer not null default 0,
  user_id     bigint references app_user (id),
  created_at  timestamptz not null default now()
);

create index import_batch_created_idx on import_batch (created_at);

-- Facts about the dataset itself: whether it is synthetic demo data, its seed, and a
-- version that every write bumps (for HTTP caching).
create table app_setting (
  key        text primary key,
  value      jsonb not null,
  updated_at timestamptz not null default now()
);
