"""Stage 2, layout: takes the `Content` and one variant (region, language, material) and
hands on what its pages show, composed and translated, as HTML from the Jinja templates,
with the fonts, QR codes and typography it prints with. No WeasyPrint here."""
