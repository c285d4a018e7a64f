-- A token for the write that made the data, new at every write with the version (Connections.write). A copy of
-- the file keeps it until the copy is written, so figures computed for one copy are right for every copy with the
-- same token; two copies written apart, whose versions both move to the same number, never share one.
ALTER TABLE data_version ADD COLUMN token UUID;
UPDATE data_version SET token = uuid();
