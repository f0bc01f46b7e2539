-- From 07/2025 a commune reports, not a district: the unit that sent a file, and the unit a validation outcome is
-- about, are named apart from district_code (which stays: null for a commune's workbook). Files and outcomes
-- recorded before this migration were all districts'.
alter table audit.received_files add column if not exists reporting_unit_code VARCHAR;
alter table audit.received_files add column if not exists reporting_unit_level VARCHAR;
update audit.received_files set reporting_unit_code = district_code, reporting_unit_level = 'district'
where district_code is not null and reporting_unit_code is null;
alter table audit.validation_results add column if not exists reporting_unit_code VARCHAR;
update audit.validation_results set reporting_unit_code = district_code
where district_code is not null and reporting_unit_code is null;
