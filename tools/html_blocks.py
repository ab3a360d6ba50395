"""HTML and Confluence storage-format XHTML to blocks."""

from __future__ import annotations

from html.parser import HTMLParser

from casewright.tools.blocks import Block, BlockKind, clean_text, row

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_PARAGRAPHS = {"p", "div", "pre", "blockquote", "ac:task-body"}
_SKIPPED = {"script", "style", "ac:parameter", "head", "title"}


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._fragments: list[str] = []
        self._kind: BlockKind | None = None
        self._level = 0
        self._list_depth = 0
        self._open_items: list[int] = []
        self._cells: list[str] | None = None
        self._cell: list[str] | None = None
        self._row_header = True
        self._skip = 0
        self._link_title: str | None = None
        self._link_text = False

    def _flush(self) -> None:
        text = clean_text("".join(self._fragments))
        if text and self._kind is not None:
            self.blocks.append(Block(self._kind, text, level=self._level))
        elif text:
            self.blocks.append(Block("paragraph", text))
        self._fragments = []
        self._kind = None
        self._level = 0

    def _start(self, kind: BlockKind, level: int = 0) -> None:
        self._flush()
        self._kind, self._level = kind, level

    def _add(self, text: str) -> None:
        if self._skip:
            return
        if self._link_title is not None and text.strip():
            self._link_text = True
        if self._cell is not None:
            self._cell.append(text)
        else:
            self._fragments.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _HEADINGS:
            self._start("heading", _HEADINGS[tag])
        elif tag in _PARAGRAPHS:
            if self._open_items or self._cell is not None:
                self._add("\n")
            else:
                self._start("paragraph")
        elif tag in {"ul", "ol"}:
            if self._open_items:
                self._flush()
            self._list_depth += 1
        elif tag == "li":
            self._start("item", max(self._list_depth, 1))
            self._open_items.append(max(self._list_depth, 1))
        elif tag == "tr":
            self._flush()
            self._cells, self._row_header = [], True
        elif tag in {"td", "th"}:
            self._cell = []
            self._row_header = self._row_header and tag == "th"
        elif tag == "br":
            self._add("\n")
        elif tag == "ac:link":
            self._link_title, self._link_text = "", False
        elif tag == "ri:page" and self._link_title is not None:
            self._link_title = attributes.get("ri:content-title") or ""
        elif tag == "time" and attributes.get("datetime"):
            self._add(attributes["datetime"] or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in {"br", "ri:page", "time"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(self._skip - 1, 0)
        elif tag in _HEADINGS:
            self._flush()
        elif tag in _PARAGRAPHS:
            if not self._open_items and self._cell is None:
                self._flush()
        elif tag in {"ul", "ol"}:
            self._flush()
            self._list_depth = max(self._list_depth - 1, 0)
            if self._open_items:
                self._kind, self._level = "item", self._open_items[-1]
        elif tag == "li":
            self._flush()
            if self._open_items:
                self._open_items.pop()
        elif tag in {"td", "th"} and self._cell is not None and self._cells is not None:
            self._cells.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._cells is not None:
            if any(cell.strip() for cell in self._cells):
                self.blocks.append(row(self._cells, header=self._row_header))
            self._cells = None
        elif tag == "ac:link":
            if self._link_title and not self._link_text:
                self._add(self._link_title)
            self._link_title = None

    def handle_data(self, data: str) -> None:
        self._add(data)

    def unknown_decl(self, data: str) -> None:
        if data.startswith("CDATA["):
            self._add(data[len("CDATA["):])

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_blocks(markup: str) -> list[Block]:
    """Parse HTML or Confluence storage XHTML into blocks."""
    parser = _BlockParser()
    parser.feed(markup)
    parser.close()
    return parser.blocks
