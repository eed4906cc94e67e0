"""Stage 5, hsds: takes an Open Referral HSDS data set (JSON, a tabular data package, or an
HSDS API's URL) and hands on a region's records, written to resources/hsds-<region>.yaml.
Its modules run fetch/read -> check -> mapping -> write, orchestrated by `importer`."""
