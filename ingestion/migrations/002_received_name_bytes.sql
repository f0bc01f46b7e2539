-- A file name that is not UTF-8 is recorded readably in file_name, its exact bytes here.
alter table audit.received_files add column if not exists file_name_bytes BLOB;
