"""Spreadsheet import of people (issue 4, decision 0015).

- Files are read by `solidaire.core.tabular`, the one reader of every upload that
  holds rows (what kind of file, encoding, delimiter; its rows, within the upload
  limits: decisions 0040 and 0059).
- `columns`: the fields a column can fill and the headers recognized for each.
- `cleaning`: one row's cells to normalized values, or the problems found.
- `engine`: the resumable, chunked run that writes people in bulk.
- `services`: what views, commands and tasks call (`person_import_*`).
"""
