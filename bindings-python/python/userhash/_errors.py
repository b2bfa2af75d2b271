"""userhash exceptions: ``UserhashError`` and one subclass per error code of the core,
made at import from the core's list (``empty_identity`` -> ``EmptyIdentityError``), so a
code added to the core needs no edit here."""

from typing import Dict, List, Optional, Type

from ._userhash import _ERROR_CODES


class UserhashError(ValueError):
    """Base class of every userhash error.

    ``code`` is the stable snake_case error code (``"invalid_input"``, …); ``path`` is
    where in the input it happened (``"visitor.data.created_at"``) or None; ``item`` is
    the index of the bad item of a ``sign_many`` batch, or None. ``str(err)`` is the
    core's message, ``item N: path: message``, and never contains a secret.
    """

    code: str = "userhash_error"

    def __init__(self, message: str = "", path: Optional[str] = None, item: Optional[int] = None) -> None:
        super().__init__(message)
        self.message, self.path, self.item = message, path, item


ERROR_CODES: List[str] = [code for code, _ in _ERROR_CODES]
ERROR_CLASSES: Dict[str, Type[UserhashError]] = {
    code: type("".join(word.title() for word in code.split("_")) + "Error", (UserhashError,),
               {"code": code, "__doc__": f"The core's ``{code}``: {description}.", "__module__": __name__})
    for code, description in _ERROR_CODES
}
globals().update({cls.__name__: cls for cls in ERROR_CLASSES.values()})

__all__ = ["UserhashError", *(cls.__name__ for cls in ERROR_CLASSES.values()), "ERROR_CLASSES", "ERROR_CODES"]
