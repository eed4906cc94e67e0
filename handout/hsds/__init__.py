"""Takes an Open Referral HSDS data set (JSON, a tabular data package, or an HSDS API URL) and
hands on the region's records, written to resources/hsds-<region>.yaml. Its modules run in
order, fetch/read -> check -> mapping -> write, orchestrated by importer.py."""
