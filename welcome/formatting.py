"""A page's plain text as blocks for the template: paragraphs and lists, nothing else.

Pages are written as plain text (no HTML, no Markdown): a blank line separates paragraphs, a line
starting with "- " is an item of a list. The template escapes every word, so a page can never carry
markup or script into a candidate's browser, whatever staff paste into it.
"""

from dataclasses import dataclass, field

ITEM_MARK = "- "


@dataclass(frozen=True)
class Block:
    lines: list[str] = field(default_factory=list)  # a paragraph's lines
    items: list[str] = field(default_factory=list)  # a list's items

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def text_blocks(body: str) -> list[Block]:
    """Split ``body`` into paragraphs and lists (a paragraph's lines before a list stay a paragraph)."""
    blocks: list[Block] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if line.startswith(ITEM_MARK):
                if paragraph:
                    blocks.append(Block(lines=paragraph))
                    paragraph = []
                items.append(line[len(ITEM_MARK) :].strip())
            else:
                if items:
                    blocks.append(Block(items=items))
                    items = []
                paragraph.append(line)
        if paragraph:
            blocks.append(Block(lines=paragraph))
        if items:
            blocks.append(Block(items=items))
    return blocks
