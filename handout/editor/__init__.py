"""The editor behind `python build.py serve`: forms over the content files, for the people
who keep the facts current and do not edit YAML by hand."""
