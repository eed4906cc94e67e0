"""Stage 3, render: takes a variant's HTML and hands on its PDF, laid out by WeasyPrint
(type shrunk to fit where allowed), with what the checks read off its pages, the checks
themselves, the print-shop copies (card sheets, imposed booklets) and page thumbnails."""
