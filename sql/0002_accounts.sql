-- People who sign in, and their server-side sessions.

create table app_user (
  id              bigint generated always as identity primary key,
  email           text not null check (email = lower(btrim(email)) and email ~ '^[^@\s]+@[^@\s]+$'),
  name            text not null check (btrim(name) <> ''),
  password_hash   text not null,
  role            text not null check (role in ('admin', 'leadership', 'steward', 'commission')),
  university_code text references university (code),
  disabled        boolean not null default false,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  -- A steward keeps one university's records; nobody else is tied to one.
  constraint app_user_steward_university check ((role = 'steward') = (university_code is not null))
);

create unique index app_user_email_key on app_user (email);

create table session (
  id          text primary key,
  user_id     bigint not null references app_user (id) on delete cascade,
  created_at  timestamptz not null default now(),
  last_seen   timestamptz not null default now(),
  expires_at  timestamptz not null,
  address     text
);

create index session_user_idx on session (user_id);
