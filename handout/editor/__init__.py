"""Stage 7, editor: forms over the content files behind `python build.py serve`, for people
who do not edit YAML by hand. Takes the content folder and the preview's state; hands on
saved content files, which the watcher of `serve` turns into rebuilds."""
