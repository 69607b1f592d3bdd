-- Demo accounts are marked as such, so that leaving demo mode removes exactly them and so that
-- "this database is purely synthetic" (no account and no write of anyone else since the demo
-- data was written) is one question to the database. Accounts made before this migration are
-- recognised by the demo's own addresses: alliance.example is a reserved domain nobody else has.

alter table app_user add column demo boolean not null default false;

update app_user set demo = true
  where email ~ '^(admin|leadership|commission|steward\.[a-z0-9_]+)@alliance\.example$';
