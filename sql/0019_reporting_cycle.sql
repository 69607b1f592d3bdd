-- The reporting cycle: each university reports its records per period against a calendar, a
-- steward submits a period, an admin or leadership account approves it or returns it, and an
-- approved period is closed to writes until an admin reopens it.
--
-- The calendar is data. `reporting_calendar` holds a university's frequency (quarters when it has
-- no row) and how many days after a period's end it is due (20 when it has no row).
-- `reporting_period` holds a period of a university once anything is said of it: a due date of its
-- own, or a step. `reporting_step` is its history, appended to and never changed: a period's status
-- is its last step (submitted, returned, approved, reopened); without one it is not started or in
-- progress, by whether it holds records; late is past its due date and not submitted.

create table reporting_calendar (
  university_code text primary key references university (code) on update cascade on delete cascade,
  frequency       text not null default 'quarter' check (frequency in ('month', 'quarter', 'year')),
  due_days        integer not null default 20 check (due_days between 0 and 366),
  updated_at      timestamptz not null default now(),
  updated_by      bigint references app_user (id) on delete set null
);

create table reporting_period (
  id              bigint generated always as identity primary key,
  university_code text not null references university (code) on update cascade on delete cascade,
  -- `2025`, `2025-Q3` or `2025-07`: the same text the API names it by.
  period          text not null check (period ~ '^[0-9]{4}(-(Q[1-4]|0[1-9]|1[0-2]))?$'),
  period_from     date not null,
  period_to       date not null check (period_to >= period_from),
  -- Null: the calendar's default (its end plus the university's due_days).
  due_on          date check (due_on >= period_from),
  unique (university_code, period)
);

create index reporting_period_span_idx on reporting_period (university_code, period_from, period_to);

create table reporting_step (
  id              bigint generated always as identity primary key,
  period_id       bigint not null references reporting_period (id) on delete cascade,
  action          text not null check (action in ('submit', 'approve', 'return', 'reopen')),
  at              timestamptz not null default now(),
  -- Kept as text as well as id so the step outlives any change to the account.
  user_id         bigint,
  user_email      text,
  user_name       text,
  -- A return's comment or a reopening's reason (required for both); a submission's note.
  comment         text check (char_length(comment) <= 2000),
  -- What a submission froze: per kind, the records dated in the period, their count and totals,
  -- and the SHA-256 of their canonical JSON.
  summary         jsonb,
  sha256          text check (sha256 ~ '^[0-9a-f]{64}$'),
  check ((action = 'submit') = (sha256 is not null and summary is not null)),
  check (action not in ('return', 'reopen') or coalesce(char_length(btrim(comment)), 0) > 0)
);

create index reporting_step_period_idx on reporting_step (period_id, id);

-- A period with its last step: what its status is derived from.
create view reporting_period_state as
select p.id, p.university_code, p.period, p.period_from, p.period_to, p.due_on,
       s.action as last_action, s.at as last_at, s.comment as last_comment, s.sha256 as last_sha256,
       (select sub.sha256 from reporting_step sub where sub.period_id = p.id and sub.action = 'submit'
        order by sub.id desc limit 1) as submitted_sha256,
       (select sub.at from reporting_step sub where sub.period_id = p.id and sub.action = 'submit'
        order by sub.id desc limit 1) as submitted_at
from reporting_period p
left join lateral (
  select st.action, st.at, st.comment, st.sha256 from reporting_step st where st.period_id = p.id order by st.id desc limit 1
) s on true;

create trigger reporting_calendar_data_version after insert or update or delete or truncate on reporting_calendar for each statement execute function bump_data_version();
create trigger reporting_period_data_version after insert or update or delete or truncate on reporting_period for each statement execute function bump_data_version();
create trigger reporting_step_data_version after insert or update or delete or truncate on reporting_step for each statement execute function bump_data_version();

-- The audit log names the cycle's steps.
alter table audit_log drop constraint audit_log_action_check;
alter table audit_log add constraint audit_log_action_check check (action in (
  'login', 'login_failed', 'logout', 'create', 'update', 'delete',
  'import', 'export', 'user_change', 'target_change', 'university_change', 'report_submit',
  'period_submit', 'period_approve', 'period_return', 'period_reopen', 'calendar_change'));
