-- Corrected files (issue 16): a batch may replace an earlier one in one step. The replaced batch is undone in
-- the same transaction that imports its replacement, and the replacement names it here.
ALTER TABLE import_batches ADD COLUMN replaces INTEGER;
-- Free text (place, comment) is compared after NFKC and with every run of blanks made one space. The rows
-- whose text that changes are rekeyed after this file, in the same transaction (Store._rekey_free_text),
-- so a corrected file finds them; every other row keeps its key.
