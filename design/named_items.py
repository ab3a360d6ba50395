"""Criteria that only name one of the links, tabs or menu items their story is about.

A story titled "Footer links" or "Account menu" often lists what it must offer as bare
names ("Privacy policy", "Contact us - <footer_link>"): each criterion names an item, not a
behaviour. Read with its story, it says that following the item opens what it names.
"""

from __future__ import annotations

import re

from casewright.design.behaviour import Behaviour, Effect
from casewright.design.language import FINITE, parse

_ITEMS = re.compile(r"\b(?:(?P<link>links?|navigation)|(?P<tab>tabs?)|(?P<menu>menus?))\b",
                    re.IGNORECASE)
"""What a story's summary says its criteria name: links, tabs or the items of a menu."""
_WHERE = re.compile(r"\s*(?:-|–|:)\s*<[^>]+>\s*$|\s*<[^>]+>\s*$")
"""A scenario outline's placeholder for where the item is ("Cookies policy - <header_link>")."""
MAX_NAME_WORDS = 6


def named_item(summary: str, criterion_id: str, text: str) -> Behaviour | None:
    """Return the behaviour of following the item a bare name names, if it is one.

    The story's summary must say its criteria are links, tabs or menu items, and the
    criterion must be a short name: no finite verb, none after its first word ("Contact
    us" is a link's name as much as "Privacy policy").
    """
    kind = _ITEMS.search(summary)
    name = _WHERE.sub("", text).strip(" .")
    if kind is None or not name or len(name.split()) > MAX_NAME_WORDS or any(
            t.tag_ in FINITE or t.pos_ in {"VERB", "AUX"} and t.i > 0 for t in parse(name)):
        return None
    item = "link" if kind["link"] else "tab" if kind["tab"] else "menu item"
    shown = name if name.lower().endswith("page") else f"{name} page"
    return Behaviour(criterion_id=criterion_id, actions=[f"Select the '{name}' {item}"],
                     effects=[Effect(text=f"The {shown} is shown")])
