"""Stage 4, build: takes the options of a build and hands on a complete output folder: it
plans every variant, renders those that changed in worker processes, checks them, then
publishes their PDFs with the manifest, the gallery and its own state as one set."""
