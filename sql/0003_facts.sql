-- The four kinds of record the alliance counts. Every fact table carries
-- university_code (the distribution key on a distributed PostgreSQL) and a natural
-- key (university_code, ref) on which imports upsert. Money is numeric(16,2) yuan.

create table tech_transfer (
  id                  bigint generated always as identity primary key,
  university_code     text not null references university (code),
  ref                 text not null check (btrim(ref) <> '' and length(ref) <= 64),
  mode                text not null check (mode in ('transfer', 'license', 'equity', 'development', 'consulting', 'service')),
  partner_name        text not null check (btrim(partner_name) <> ''),
  partner_region_code text not null references region (code),
  co_university_code  text references university (code),
  field_code          text not null references field (code),
  signed_on           date not null,
  contract_value_cny  numeric(16, 2) not null check (contract_value_cny >= 0),
  received_cny        numeric(16, 2) not null default 0 check (received_cny >= 0),
  patents             integer not null default 0 check (patents >= 0),
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  created_by          bigint references app_user (id),
  updated_by          bigint references app_user (id),
  constraint tech_transfer_ref_key unique (university_code, ref),
  constraint tech_transfer_received_within_value check (received_cny <= contract_value_cny),
  constraint tech_transfer_co_university_differs check (co_university_code <> university_code)
);

create index tech_transfer_university_signed_idx on tech_transfer (university_code, signed_on);
create index tech_transfer_signed_idx on tech_transfer (signed_on);
create index tech_transfer_co_university_idx on tech_transfer (co_university_code) where co_university_code is not null;

create table incubation (
  id                      bigint generated always as identity primary key,
  university_code         text not null references university (code),
  ref                     text not null check (btrim(ref) <> '' and length(ref) <= 64),
  name                    text not null check (btrim(name) <> ''),
  field_code              text not null references field (code),
  stage                   text not null check (stage in ('incubating', 'graduated', 'closed')),
  entered_on              date not null,
  graduated_on            date,
  funding_cny             numeric(16, 2) not null default 0 check (funding_cny >= 0),
  jobs                    integer not null default 0 check (jobs >= 0),
  partner_university_code text references university (code),
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  created_by              bigint references app_user (id),
  updated_by              bigint references app_user (id),
  constraint incubation_ref_key unique (university_code, ref),
  constraint incubation_graduated_after_entry check (graduated_on >= entered_on),
  -- A graduation date exactly when the project has graduated.
  constraint incubation_graduated_stage check ((stage = 'graduated') = (graduated_on is not null)),
  constraint incubation_partner_differs check (partner_university_code <> university_code)
);

create index incubation_university_entered_idx on incubation (university_code, entered_on);
create index incubation_entered_idx on incubation (entered_on);
create index incubation_university_graduated_idx on incubation (university_code, graduated_on) where graduated_on is not null;

create table talent (
  id                      bigint generated always as identity primary key,
  university_code         text not null references university (code),
  ref                     text not null check (btrim(ref) <> '' and length(ref) <= 64),
  partner_university_code text references university (code),
  level                   text not null check (level in ('undergraduate', 'master', 'doctoral', 'tech_manager', 'other')),
  program                 text not null check (btrim(program) <> ''),
  started_on              date not null,
  trainees                integer not null check (trainees >= 0),
  graduates               integer not null default 0 check (graduates >= 0),
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  created_by              bigint references app_user (id),
  updated_by              bigint references app_user (id),
  constraint talent_ref_key unique (university_code, ref),
  constraint talent_graduates_within_trainees check (graduates <= trainees),
  constraint talent_partner_differs check (partner_university_code <> university_code)
);

create index talent_university_started_idx on talent (university_code, started_on);
create index talent_started_idx on talent (started_on);

create table credit (
  id                   bigint generated always as identity primary key,
  -- The students' home university, which recognises the credits.
  university_code      text not null references university (code),
  ref                  text not null check (btrim(ref) <> '' and length(ref) <= 64),
  -- Where the course was taken.
  host_university_code text not null references university (code),
  course               text not null check (btrim(course) <> ''),
  -- Academic year and term as Chinese universities write it: 2024-2025-1 is the autumn term.
  term                 text not null check (term ~ '^[0-9]{4}-[0-9]{4}-[1-3]$'),
  recognized_on        date not null,
  students             integer not null check (students >= 0),
  credits              numeric(10, 1) not null check (credits >= 0),
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  created_by           bigint references app_user (id),
  updated_by           bigint references app_user (id),
  constraint credit_ref_key unique (university_code, ref),
  constraint credit_host_differs check (host_university_code <> university_code)
);

create index credit_university_recognized_idx on credit (university_code, recognized_on);
create index credit_recognized_idx on credit (recognized_on);
