-- Dimensions: the provinces, the member universities and the technology fields.
-- Codes are short upper-case identifiers that appear in URLs, CSV files and reports.

create table region (
  code    text primary key check (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
  name_en text not null check (btrim(name_en) <> ''),
  name_zh text not null check (btrim(name_zh) <> ''),
  -- Display order: the delta's provinces as the alliance lists them, partners outside last.
  position smallint not null default 100
);

create table university (
  code         text primary key check (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
  name_en      text not null check (btrim(name_en) <> ''),
  name_zh      text not null check (btrim(name_zh) <> ''),
  region_code  text not null references region (code),
  member_since date not null,
  is_lead      boolean not null default false,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);

create index university_region_idx on university (region_code);

create table field (
  code    text primary key check (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
  name_en text not null check (btrim(name_en) <> ''),
  name_zh text not null check (btrim(name_zh) <> '')
);
