"""Stage 6, preview: takes the output folder a build keeps current and hands on what the
browser shows while content is edited: the gallery (or the mistake that stopped the build)
with its reload script, served on 127.0.0.1 and rebuilt on every save."""
