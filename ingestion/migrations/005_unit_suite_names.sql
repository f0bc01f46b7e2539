-- The suites district_totals and district_consistency validate a reporting unit's month (a district to 06/2025,
-- a commune from 07/2025): renamed unit_totals and unit_consistency. Earlier results keep
-- their place in the history under the new names, so "the latest results" of a month stay its latest.
update audit.validation_results set suite = 'unit_totals' where suite = 'district_totals';
update audit.validation_results set suite = 'unit_consistency' where suite = 'district_consistency';
update audit.validated_months set suite = 'unit_totals' where suite = 'district_totals';
update audit.validated_months set suite = 'unit_consistency' where suite = 'district_consistency';
