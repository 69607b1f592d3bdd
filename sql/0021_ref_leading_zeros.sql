-- A ref such as 00456 read by a spreadsheet as a number comes back as 456. Imported again, it would
-- add a second record beside the stored one, and the figures would count the contract twice. An
-- import therefore looks, for every all-digit ref that is new, for a stored ref of the same
-- university that differs only by its leading zeros (server/records/contract-rules.ts,
-- `lostZeroRefs`). These partial indexes hold only the refs that start with a zero, by their
-- digits without the zeros: the look-up is an index probe whatever the size of the table.

create index tech_transfer_ref_zeros on tech_transfer (university_code, ltrim(ref, '0')) where ref like '0%';
create index payment_ref_zeros on payment (university_code, ltrim(ref, '0')) where ref like '0%';
create index incubation_ref_zeros on incubation (university_code, ltrim(ref, '0')) where ref like '0%';
create index talent_ref_zeros on talent (university_code, ltrim(ref, '0')) where ref like '0%';
create index credit_ref_zeros on credit (university_code, ltrim(ref, '0')) where ref like '0%';
create index capacity_ref_zeros on capacity (university_code, ltrim(ref, '0')) where ref like '0%';
