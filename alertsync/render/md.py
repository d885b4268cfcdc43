"""Inert markdown: every string that comes from a file or from PostHog is shown as text.

Alert, threshold, insight and user names, emails and PostHog's messages are chosen by
whoever can edit a file or a PostHog project. In a pull-request comment they must not open
an HTML comment that hides the rest of the plan, start a heading, draw an image, link
somewhere, or @mention anyone. Two forms:

* `code(s)`: an inline code span, for names and values. Nothing inside a code span is markup,
  a mention or a link; the fence is longer than any run of backticks in the text, and line
  breaks become `⏎` (a line break would let the block structure escape the span).
* `text(s)`: running text, for messages: every markup character backslash-escaped, `<`, `>`
  and `&` as entities, line breaks as `⏎`, and a zero-width space after `@` and `#` so no
  mention or issue reference is made.

Inside a table cell, `|` is escaped too (GitHub splits cells before anything else).
"""

from __future__ import annotations

import re
from urllib.parse import quote

NEWLINE = "⏎"
_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|~=:\"'$^])")
_ZWSP = "\u200b"


def _one_line(value: str) -> str:
    return _BREAKS.sub(NEWLINE, value).replace("\t", " ")


def code(value: object, table: bool = False) -> str:
    body = _one_line(str(value))
    if table:
        body = body.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith(("`", " ")) or body.endswith(("`", " ")) or not body else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def text(value: object) -> str:
    body = _one_line(str(value))
    body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = _MARKUP.sub(r"\\\1", body)  # `|` too, so it is safe in a table cell
    for mark in ("@", "#", "://", "www."):  # no mention, reference or autolink
        body = body.replace(mark, mark[0] + _ZWSP + mark[1:])
    return body


def url_part(value: object) -> str:
    """A value inside a URL's path or query: percent-encoded, so it cannot end the link."""
    return quote(str(value), safe="")


def link(label: str, url: str) -> str:
    """`[label](url)`: `label` is markdown already made inert; the address must be http(s),
    and is percent-encoded where it could end the link or open markup (spaces, brackets,
    parentheses, quotes, backticks, angle brackets). Any other address: the label alone."""
    if not url.startswith(("https://", "http://")):
        return label
    return f"[{label}]({quote(url, safe='/:?#&=%+,;@!$*~')})"


def block(value: object) -> str:
    """A fenced code block: text shown exactly, line breaks kept, never markup (the fence is
    longer than any run of backticks in it)."""
    body = str(value).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"
