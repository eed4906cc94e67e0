"""Reading PDFs back for tests: text, fonts, links, page sizes (pypdf only)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def reader(path: Path) -> PdfReader:
    return PdfReader(path)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in reader(path).pages]


def all_text(path: Path) -> str:
    return "\n".join(page_texts(path))


def page_sizes_in(path: Path) -> list[tuple[float, float]]:
    return [
        (round(float(page.mediabox.width) / 72, 3), round(float(page.mediabox.height) / 72, 3))
        for page in reader(path).pages
    ]


def fonts(path: Path) -> dict[str, bool]:
    """Every font the pages use, by name without the subset prefix: is it embedded?"""
    found: dict[str, bool] = {}
    for page in reader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descriptor_owner = font
            if "/DescendantFonts" in font:
                descriptor_owner = font["/DescendantFonts"][0].get_object()
            descriptor = descriptor_owner.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[name] = found.get(name, True) and embedded
    return found


def links(path: Path) -> set[str]:
    uris = set()
    for page in reader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def structure(path: Path) -> list[str]:
    """Structure element types of a tagged PDF, in document order."""
    root = reader(path).trailer["/Root"]["/StructTreeRoot"].get_object()
    found: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            found.append(str(node["/S"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(root)
    return found
