"""Stage 1, content: takes a content folder (YAML facts, regions, wording, PO catalogs) and
hands on one validated `Content`, or every mistake at once, each with its file, line and
fix. Also the edits that write the files back (re-checks, the editor's saves, imports)."""
