"""The editor behind `python build.py serve`: forms over the content files, for people who do
not edit YAML by hand. It takes the content folder and the preview's state (the last build's
results) and hands on saved content files, which the watcher of `serve` turns into rebuilds."""
