"""Every save the editor offers changes only the lines it means to change, byte for byte,
on every shipped content file and on files imported from HSDS data (folded lines, a
`# from HSDS ... fingerprint` line above each record, blank lines between records): record
field and phone edits, re-checks, added and deleted records, card rows moved, labelled,
added and removed, QR codes, translations, a language marked reviewed, and Undo.

A re-check once rewrote a whole imported file: it unwrapped the folded lines, deleted the
next record's HSDS line and the blank line before it, and left an alias. Each save here is
made the way its page makes it, on a few records of every file (the first, one in the
middle, the last), and the lines that differ must lie inside the value, record or row it
changes; the whole file is compared, so nothing else may differ."""

from __future__ import annotations

import datetime
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from handout.content import yaml_edit
from handout.content.load import load
from handout.content.models import CheckedHow
from handout.content.recheck import confirmation
from handout.content.yaml_file import read_yaml
from handout.editor import forms, layouts, records, translations
from handout.editor.pages.layouts import only_911
from handout.hsds.importer import import_hsds
from tests.conftest import CONTENT, ROOT, TEMPLATES
from tests.editor.test_writes import client_of, hidden, make_site

DATA = ROOT / "tests" / "data" / "hsds"
TODAY = datetime.date.today()


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content with HSDS data sets imported, made once: two real ones (the Open
    Referral specification's own example, as CSV files, and Open Referral's HSDS 1.1
    sample, whose long texts are folded over lines) and a county's JSON."""
    content = Path(shutil.copytree(CONTENT, tmp_path_factory.mktemp("imported") / "content"))
    for data_set, region in ((DATA / "real" / "spec-3.0" / "csv", "danbury"),
                             (DATA / "real" / "sample-simple-1.1", "waterbury"),
                             (DATA / "json" / "sample-county.json", "new-milford")):  # fmt: skip
        import_hsds(content, data_set, region)
    return content


@pytest.fixture
def content(imported: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(imported, tmp_path / "content"))


# -- which lines differ ---------------------------------------------------------------


def changed_lines(before: str, after: str) -> tuple[int, int, list[str]]:
    """The lines of `before` that differ (from index `first` to `end`, excluded: the same
    index twice when lines were only added) and the lines `after` has in their place."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    first = 0
    while first < min(len(old), len(new)) and old[first] == new[first]:
        first += 1
    same_end = 0
    while same_end < min(len(old), len(new)) - first and old[-1 - same_end] == new[-1 - same_end]:
        same_end += 1
    return first, len(old) - same_end, new[first : len(new) - same_end]


def assert_within(before: str, after: str, low: int, high: int, what: str) -> list[str]:
    """Only lines `low` to `high` (0-based, `high` excluded) of `before` may differ; lines
    may be added only between them. Returns the new lines."""
    assert after != before, f"{what}: nothing changed"
    first, end, new = changed_lines(before, after)
    assert low <= first and end <= high, (
        f"{what}: lines {first + 1}-{end} changed, only {low + 1}-{high} may:\n"
        + "".join(before.splitlines(keepends=True)[first:end])
        + "----\n"
        + "".join(new)
    )
    return new


def blank_or_comment(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


class Lines:
    """Where the values of a YAML file stand, by line (0-based)."""

    def __init__(self, path: Path) -> None:
        self.source = read_yaml(path)
        self.lines = path.read_text(encoding="utf-8").splitlines()

    def line(self, *location: str | int) -> int:
        line, _column = self.source.where(location)
        assert line is not None
        return line - 1

    def item_end(self, *location: str | int) -> int:
        """The line after the last one of list item `location` (its blank lines and the
        next item's comments not counted)."""
        *parent, index = location
        count = len(yaml_edit.at(self.source.data, tuple(parent)))
        end = self.line(*parent, index + 1) if index + 1 < count else self.list_end(*parent)
        while blank_or_comment(self.lines[end - 1]):
            end -= 1
        return end

    def list_end(self, *location: str | int) -> int:
        """The line after the list at `location` (the next key of its mapping, or the end)."""
        start = self.line(*location)
        column = len(self.lines[start]) - len(self.lines[start].lstrip())
        for number in range(start + 1, len(self.lines)):
            text = self.lines[number]
            entry = text.strip() and not text.lstrip().startswith(("#", "-"))
            if entry and len(text) - len(text.lstrip()) <= column:
                return number
        return len(self.lines)

    def value_end(self, *location: str | int) -> int:
        """The line after the value of key `location` (up to the record's next key)."""
        *record, _key = location
        keys = list(yaml_edit.at(self.source.data, tuple(record)))
        position = keys.index(location[-1])
        if position + 1 < len(keys):
            return self.line(*record, keys[position + 1])
        return self.item_end(*record)


# -- records --------------------------------------------------------------------------


def record_files(content: Path) -> Iterator[tuple[str, str, str]]:
    """(file, list key, kind) of every content file that holds records or laws."""
    for path in sorted((content / "resources").glob("*.yaml")):
        yield f"resources/{path.name}", "records", "resource"
    yield "laws.yaml", "laws", "law"


def some(count: int) -> list[int]:
    return sorted({0, count // 2, count - 1})


def form_save(text: str, place: records.Place, change: dict) -> str:
    """What the record's form saves with `change` made in its fields (as the page does)."""
    values = forms.values_of(place.model, records.record_data(place, text))
    values.update(change)
    data = forms.parse(place.model, values)
    data["id"] = place.id
    return yaml_edit.replace_record(text, place.location, data)


def confirmed(text: str, location: tuple) -> str:
    """The re-checks page's "Confirmed today" (`pages/rechecks.py`)."""
    key, index = location
    record = yaml_edit.plain(yaml_edit.load(text))[key][index]
    fields, remove = confirmation(record, TODAY, CheckedHow.call)
    return yaml_edit.update_record(text, location, fields, remove=remove)


def test_record_saves_change_only_their_lines(content: Path) -> None:
    loaded = load(content)
    for file, key, kind in record_files(content):
        path = content / file
        text = path.read_text(encoding="utf-8")
        where = Lines(path)
        items = where.source.data[key]
        for index in some(len(items)):
            record_id = items[index]["id"]
            place = records.place_of(loaded, kind, record_id)
            assert place is not None and place.location == (key, index)
            name = "name" if kind == "resource" else "title"
            what = f"{file}, {record_id}"
            start, end = where.line(key, index), where.item_end(key, index)

            after = form_save(text, place, {name: items[index][name] + " (new)"})
            assert_within(text, after, where.line(key, index, name),
                          where.value_end(key, index, name), f"{what}: {name}")  # fmt: skip

            long = "helps_with" if kind == "resource" else "summary"
            after = form_save(text, place, {long: items[index][long] + " More words here."})
            new = assert_within(text, after, where.line(key, index, long),
                                where.value_end(key, index, long), f"{what}: {long}")  # fmt: skip
            old_lines = where.value_end(key, index, long) - where.line(key, index, long)
            assert len(new) <= old_lines + 1, f"{what}: {long} is folded as it was"

            if items[index].get("phones"):
                number = where.line(key, index, "phones", 0, "number")
                after = form_save(text, place, {"phones.0.number": "(860) 555-0123"})
                assert_within(text, after, number, number + 1, f"{what}: a number")
                after = form_save(text, place, {"phones.9.number": "(860) 555-0124",
                                                "phones.9.kind": ["call"]})  # fmt: skip
                phones = where.item_end(key, index, "phones", len(items[index]["phones"]) - 1)
                new = assert_within(text, after, phones, phones, f"{what}: a new phone")
                assert new[0].strip() == "- number: (860) 555-0124"
            if len(items[index].get("phones") or []) > 1:
                after = form_save(text, place, {"phones.0._remove": "on"})
                first, last, new = changed_lines(text, after)
                phone = where.line(key, index, "phones", 0)
                assert not new and phone <= first and last <= where.line(key, index, "phones", 1), (
                    f"{what}: a phone removed"
                )

            after = confirmed(text, (key, index))
            new = assert_within(text, after, where.line(key, index, "checked"), end,
                                f"{what}: confirmed")  # fmt: skip
            block = after.splitlines()[start : end + len(new)]
            written = int("verified" in items[index])  # never added: true is the default
            assert sum(line.strip().startswith("verified:") for line in block) == written, what
            assert confirmed(after, (key, index)) == after, f"{what}: confirmed twice"

            after = yaml_edit.without_item(text, (key, index))
            first, last, new = changed_lines(text, after)
            if len(items) == 1:
                assert new == [f"{key}: []\n"], f"{what}: the last record deleted"
                continue
            assert not new, f"{what}: deleting a record only removes lines"
            low = start - 1 if index == 0 else where.item_end(key, index - 1)
            assert low <= first and last <= max(
                end + 1, where.line(key, index + 1) if index + 1 < len(items) else end
            ), what
            kept = yaml.safe_load(text)[key]
            assert yaml.safe_load(after)[key] == kept[:index] + kept[index + 1 :]

        after = yaml_edit.with_item(text, (key,), {"id": "a-new-one", "name": "A new one"})
        last = where.item_end(key, len(items) - 1)
        new = assert_within(text, after, last, last, f"{file}: a record added")
        assert yaml.safe_load(after)[key][-1] == {"id": "a-new-one", "name": "A new one"}


def test_a_recheck_of_an_imported_record_keeps_the_file(content: Path) -> None:
    """The coordinator's case: "Confirmed today" on an imported record changes its check
    lines only (no `verified: true` where it has no `verified:`: true is the default), and
    leaves the folded lines, the next record's HSDS line and the blank line before it."""
    path = content / "resources" / "hsds-new-milford.yaml"
    text = path.read_text(encoding="utf-8")
    after = confirmed(text, ("records", 0))
    new = changed_lines(text, after)[2]
    assert [line.strip() for line in new] == [
        f"checked: {TODAY.isoformat()}",
        "checked_how: call",
    ]
    assert after.count("# from HSDS") == text.count("# from HSDS")
    assert after.count("verified: true") == text.count("verified: true")
    last = yaml_edit.update_record(
        text, ("records", 3), {"checked": TODAY, "verified": True}, remove=("unverified_note",)
    )
    assert "unverified_note" not in last and last.count("verified: true") == 1
    new = changed_lines(text, last)[2]
    assert "    verified: true\n" in new
    assert set(new) <= {f"    checked: {TODAY.isoformat()}\n", "    verified: true\n"}


def test_a_recheck_of_a_real_imported_record_changes_its_check_lines_only(content: Path) -> None:
    """On Open Referral's HSDS 1.1 sample, whose texts are folded over lines: the record's
    unverified note (all its lines) goes, `checked_how: call` and `verified: true` are set in
    place, and every other line of the file, folded ones included, stays as it was."""
    path = content / "resources" / "hsds-waterbury.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    note = next(i for i, line in enumerate(lines) if "unverified_note:" in line)
    end = next(i for i in range(note + 1, len(lines)) if not lines[i].startswith("      "))
    after = confirmed(text, ("records", 0))
    assert after.splitlines(keepends=True) == [
        *lines[: note - 3],
        f"    checked: {TODAY.isoformat()}\n",
        "    checked_how: call\n",
        "    verified: true\n",
        *lines[end:],
    ]
    assert lines[note - 3 : note] == [
        f"    checked: {TODAY.isoformat()}\n",
        "    checked_how: directory\n",
        "    verified: false\n",
    ], "the sample gives no check date: the import wrote today's"


def test_an_alias_is_written_out_where_its_value_changes(content: Path) -> None:
    """An older import wrote `checked: &id001 2026-08-20` and `checked: *id001`. Confirming
    either record changes its own date only; the other keeps the old date, written out."""
    path = content / "resources" / "hsds-new-milford.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("checked: 2026-08-20", "checked: &id001 2026-08-20", 1)
    text = text.replace("checked: 2026-10-01", "checked: *id001", 1)
    for changed, kept in ((0, 1), (1, 0)):
        after = confirmed(text, ("records", changed))
        data = yaml.safe_load(after)["records"]
        assert str(data[changed]["checked"]) == TODAY.isoformat()
        assert str(data[kept]["checked"]) == "2026-08-20"
        assert "*id001" not in after
        lines = [line for line in changed_lines(text, after)[2] if "checked:" in line]
        assert len(lines) == (2 if changed == 0 else 1), lines  # the alias written out


# -- cards and flyer ------------------------------------------------------------------


def region_files(content: Path) -> list[Path]:
    return sorted((content / "regions").glob("*.yaml"))


def test_layout_saves_change_only_their_rows(content: Path) -> None:
    loaded = load(content)
    for path in region_files(content):
        region_id = path.stem
        text = path.read_text(encoding="utf-8")
        where = Lines(path)
        data = yaml_edit.plain(yaml_edit.load(text))
        main = loaded.regions[region_id].flyer.tab.resource
        for name in layouts.LISTS:
            rows = layouts.rows(data, name)
            if not rows:
                continue
            location = tuple(name.split("."))
            fixed = layouts.fixed_rows(name, rows, main, lambda row: only_911(loaded, row))
            views = layouts.row_views(rows, fixed)
            for index, view in enumerate(views):
                what = f"{region_id} {name} row {index + 1}"
                start, end = where.line(*location, index), where.item_end(*location, index)
                for verb, allowed in (("up", view.up), ("down", view.down)):
                    labels = [row.label for row in rows]
                    after = layouts.changed(text, name, f"{verb}:{index}", labels, ("", ""), fixed)
                    if not allowed:
                        assert after == text, f"{what}: {verb} is not offered and does nothing"
                        continue
                    moved = [row.resource for row in layouts.rows(yaml_edit.load(after), name)]
                    assert moved != [row.resource for row in rows], what
                    span = [where.line(*location, i) for i in range(len(rows))]
                    assert_within(text, after, min(span), where.list_end(*location), what)
                    assert sorted(comments(after)) == sorted(comments(text)), what
                after = layouts.changed(text, name, f"remove:{index}", labels, ("", ""), fixed)
                assert_within(text, after, start - 1, end + 1, f"{what}: removed")
                typed = [row.label for row in rows]
                typed[index] = "A new label"
                after = layouts.changed(text, name, "labels", typed, ("", ""), fixed)
                assert_within(text, after, start, end, f"{what}: labelled")
            labels = [row.label for row in rows]
            after = layouts.changed(text, name, "add", labels, ("ct-211", "shelter"), ())
            last = where.item_end(*location, len(rows) - 1)
            assert_within(text, after, last, last, f"{region_id} {name}: a row added")
        for material in layouts.QR_CODES:
            after = layouts.with_qr(text, material, "ct-211", "tel")
            if material in data and "qr" in data[material]:
                qr = where.line(material, "qr")
                assert_within(text, after, qr, qr + 3, f"{region_id} {material} QR code")
            assert layouts.qr_of(yaml_edit.plain(yaml_edit.load(after)), material) == (
                "ct-211", "tel",
            )  # fmt: skip


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


def test_a_moved_row_takes_its_comment_along(content: Path) -> None:
    """After "Move up", the comment that sits above a row is still above it, and the
    comments after the list (`# A QR code on the back`) stay after it."""
    path = content / "regions" / "new-milford.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    - resource: ct-211\n      purpose: shelter\n",
        "    # 2-1-1's shelter line, for a bed tonight\n"
        "    - resource: ct-211\n      purpose: shelter\n",
    )
    labels = ["Free legal aid", "Drug or alcohol help", "Shelter"]
    after = layouts.changed(text, "pocket_card.back", "up:2", labels, ("", ""))
    assert (
        "    - resource: ct-legal-services\n      label: Free legal aid\n"
        "    # 2-1-1's shelter line, for a bed tonight\n"
        "    - resource: ct-211\n      purpose: shelter\n      label: Shelter\n"
        "    - resource: dmhas-access-line\n      label: Drug or alcohol help\n"
        "  # No police line on what a reader carries"
    ) in after
    assert after.index("# A QR code on the back") > after.index("label: Drug or alcohol help")


def test_fixed_rows_are_not_offered_to_move(content: Path) -> None:
    """The pocket card's front prints the main number first and 911 in its own box,
    whatever their place in the list: "Move down" on Emergency saved and changed nothing
    in print. Such rows get no move buttons and say why; the others move past them."""
    site = make_site(content, content.parent / "out")
    client = client_of(site)
    page = client.get("/edit/layout/new-milford").text
    front = page[page.index('id="pocket_card-front"') : page.index('id="pocket_card-back"')]
    assert "911 is always printed apart from the other numbers" in front
    assert "Always printed first, in large type" in front
    assert 'value="up:0"' not in front and 'value="down:0"' not in front  # 911
    assert 'value="up:2"' not in front and 'value="down:2"' not in front  # the main number
    assert 'value="down:1"' in front and 'value="up:3"' in front
    before = (content / "regions" / "new-milford.yaml").read_text(encoding="utf-8")
    form = {**hidden(client.get("/edit/layout/new-milford")), "list": "pocket_card.front",
            "label": ["", "", "", ""]}  # fmt: skip
    assert (
        client.post("/edit/layout/new-milford", data={**form, "do": "down:0"})
        .headers["location"]
        .endswith("/edit/layout/new-milford")
    ), "nothing saved"
    response = client.post("/edit/layout/new-milford", data={**form, "do": "down:1"})
    assert response.headers["location"].endswith("?saved=1")
    after = (content / "regions" / "new-milford.yaml").read_text(encoding="utf-8")
    assert changed_lines(before, after)[2] == ["    - ct-211\n", "    - trafficking-hotline\n",
                                               "    - ct-safe-connect\n"]  # fmt: skip


# -- translations, review, undo, through the editor itself ---------------------------


def test_saves_through_the_editor_change_only_their_lines(content: Path) -> None:
    """Each page's save, made in the real editor: an imported record's folded text and its
    re-check, a translation (of a text the catalog has, and of an imported record's name
    it does not have yet), a review refused while texts are missing, and Undo of each."""
    site = make_site(content, content.parent / "out")
    client = client_of(site)
    imported = content / "resources" / "hsds-danbury.yaml"
    text = imported.read_text(encoding="utf-8")
    where = Lines(imported)
    page = "/edit/resource/example-organization-inc-community-counselling"
    form = {**hidden(client.get(page)), **forms.values_of(
        records.MODELS["resource"], where.source.data["records"][0]), "_who": "Dana"}  # fmt: skip
    form["area_served"] = form["area_served"].replace("MyCity area", "MyCity region")
    assert client.post(page, data=form).status_code == 303
    after = imported.read_text(encoding="utf-8")
    new = assert_within(text, after, where.line("records", 0, "area_served"),
                        where.value_end("records", 0, "area_served"), "a folded text")  # fmt: skip
    assert len(new) <= 2 and new[0].startswith("    area_served: ") and "region" in new[0]

    confirm = "/edit/rechecks/resource/example-organization-inc-community-counselling"
    token = hidden(client.get("/edit/rechecks"))["_token"]
    assert client.post(confirm, data={"_token": token, "how": "call"}).status_code == 303
    confirmed_text = imported.read_text(encoding="utf-8")
    assert changed_lines(after, confirmed_text)[2] == [
        f"    checked: {TODAY.isoformat()}\n",
        "    checked_how: call\n",
    ], "no `verified: true` where the record has no `verified:` (true is the default)"

    catalog = content / "locale" / "es.po"
    po = catalog.read_text(encoding="utf-8")
    for english, translation in (("Appointment reminder", "Su próxima cita"),
                                 ("Example Organization Inc.: Community Counselling",
                                  "Example Organization Inc.: Consejería")):  # fmt: skip
        before = catalog.read_text(encoding="utf-8")
        found = hidden(client.get("/edit/translations/es", params={"state": "all"}))
        response = client.post(
            "/edit/translations/es", data={**found, "english": english, "translation": translation}
        )
        assert response.status_code == 303, response.text
        first, end, new = changed_lines(before, catalog.read_text(encoding="utf-8"))
        assert end - first <= 1 and f'msgstr "{translation}"\n' in new, new
        assert len(new) <= 4, "one entry"

    project = content / "project.yaml"
    before = project.read_text(encoding="utf-8")
    found = hidden(client.get("/edit/translations/es"))
    signed = {**found, "reviewer": "Ana", "confirm": "yes"}
    answer = client.post("/edit/translations/es/review", data=signed)
    # The imported records' texts are not translated yet: no review (test_translations
    # checks the lines a review changes), and project.yaml is left as it was.
    assert answer.status_code == 422 and "texts still need a translation" in answer.text
    assert project.read_text(encoding="utf-8") == before

    history = client.get("/edit/history")
    offered = set(map(int, re.findall(r'action="/edit/history/(\d+)/undo"', history.text)))
    assert offered == {1, 3}, "of two saves to one file, only the later can be undone first"
    for number in (3, 2, 1, 0):  # undo every save, newest first: each is offered in turn
        history = client.get("/edit/history")
        assert f'action="/edit/history/{number}/undo"' in history.text, number
        response = client.post(f"/edit/history/{number}/undo", data=hidden(history))
        assert "Not undone" not in client.get(response.headers["location"]).text
    assert imported.read_text(encoding="utf-8") == text
    assert catalog.read_text(encoding="utf-8") == po
    assert project.read_text(encoding="utf-8") == before


def test_a_translation_save_leaves_the_other_entries(content: Path) -> None:
    """A save brought the whole catalog up to date (every imported text added, every
    moved `#:` line rewritten); it now changes only its own entry."""
    loaded = load(content)
    catalog = content / "locale" / "pt.po"
    before = catalog.read_text(encoding="utf-8")
    shown = translations.texts(loaded, TEMPLATES, "pt", [])
    for text in (shown[0], shown[len(shown) // 2], shown[-1]):
        after = translations.with_translation(loaded, TEMPLATES, "pt", text.english, "Novo")
        first, end, new = changed_lines(before, after)
        assert len(new) <= 4 and end - first <= 3, (text.english, new)
        assert 'msgstr "Novo"\n' in new


def test_an_imported_record_says_what_a_change_does_and_takes_no_new_record(
    content: Path, tmp_path: Path
) -> None:
    client = client_of(make_site(content, tmp_path / "out"))
    loaded = load(content)
    imported_id = next(
        rid for rid, place in loaded.places.items()
        if place[0] == "resources/hsds-new-milford.yaml" and rid.startswith("resource:")
    ).split(":", 1)[1]  # fmt: skip
    page = client.get(f"/edit/resource/{imported_id}").text
    assert "Imported from a directory (HSDS)." in page and "overrides:" in page
    own = client.get("/edit/resource/new-milford-police").text
    assert "Imported from a directory" not in own
    assert "resources/hsds-new-milford.yaml" not in records.files_for(loaded, "resource")
    assert "resources/local.yaml" in records.files_for(loaded, "resource")
