#!/usr/bin/env python3
"""Print $PATH without the directories that hold cargo, rustc or rustup.

`make test-dist` installs every artifact with this PATH, so an install that would
compile Rust fails instead of silently building from source.
"""
import os

HIDDEN = ("cargo", "rustc", "rustup")


def visible(directory: str) -> bool:
    return not any(os.access(os.path.join(directory, tool), os.X_OK) for tool in HIDDEN)


print(os.pathsep.join(d for d in os.environ.get("PATH", "").split(os.pathsep) if d and visible(d)))
