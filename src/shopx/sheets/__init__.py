"""Google Sheets registered for sync: where a sheet is (a CSV export URL, or a spreadsheet
read through a service account), fetching it to a file the importer reads, and the
``sheets`` rows. The sync itself (fetch, then the same importer as uploads) is a job:
:mod:`shopx.jobs.sheets_sync`."""
