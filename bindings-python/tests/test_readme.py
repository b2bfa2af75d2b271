"""The README's ``>>>`` examples run (doctest) against the installed wheel."""

import doctest
import pathlib


def test_readme_examples():
    readme = pathlib.Path(__file__).resolve().parents[1] / "README.md"
    result = doctest.testfile(str(readme), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0, result
