"""Stage 8, the command line: takes `python build.py [COMMAND] ARGS` and hands them to the
stages below, one module a command (`build`, `check`, `translations`, `verify_sheet`,
`mark_checked`, `schema`, `previews`, `merge_manifests`, `import_hsds`, `serve`); `main`
parses, dispatches and turns mistakes into exit codes."""
