"""handout: print-ready outreach material from one set of facts written in YAML.

The package is the pipeline, one subpackage a stage, each importing only the stages before
it: `content` (read and check the YAML) → `layout` (compose each material and fill its
HTML template) → `render` (WeasyPrint: PDF pages, their checks, print copies) → `build`
(plan the variants, render them in workers, publish the output folder) → `hsds` (import a
service directory) → `preview` (the live preview) → `editor` (forms over the content) →
`cli` (one module per command).
"""
