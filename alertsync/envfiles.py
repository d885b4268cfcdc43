"""The alert files of the environments of alertsync.toml, kept inside its repository.

alertsync.toml's `paths` must stay inside the repository (`edges.projectfile`), and so must
every file found below them: a symbolic link committed in a folder of alert files could
otherwise point at a file elsewhere on the machine (a credential, a CI token file), whose
first line a problem would quote, and CI would post it on the pull request. Such a file is
never parsed; it is one problem, with nothing of its content.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alertsync.edges.files import discover
from alertsync.loading import Checked, load
from alertsync.model import Problem


def load_inside(paths: Sequence[str], root: Path | None) -> Checked:
    """`loading.load` of `paths`, less any file whose real path is outside `root`."""
    if root is None:
        return load(paths)
    found, problems = discover(paths)
    outside = [str(f) for f in found if not f.resolve().is_relative_to(root)]
    if not outside:
        return load(paths)
    inside = [str(f) for f in found if str(f) not in outside]
    loaded = load(inside) if inside else Checked((), (), ())
    refused = tuple(
        Problem(
            name,
            1,
            1,
            "",
            "a link to a file outside the repository, which is never read: the alert files "
            "of alertsync.toml are in its repository",
        )
        for name in outside
    )
    return Checked(loaded.files, loaded.documents, (*problems, *loaded.problems, *refused))
