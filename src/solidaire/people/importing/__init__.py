"""Spreadsheet import of people (issue 4, decision 0015).

- `reading`: what kind of file, encoding, delimiter; its rows, within the upload
  limits (decision 0040). The one reader of every upload that holds rows.
- `columns`: the fields a column can fill and the headers recognized for each.
- `cleaning`: one row's cells to normalized values, or the problems found.
- `engine`: the resumable, chunked run that writes people in bulk.
- `services`: what views, commands and tasks call (`person_import_*`).
"""
