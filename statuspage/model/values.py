"""Making frozen values by the ten thousand: a constructor that skips the frozen `__init__`.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, since its own
`__setattr__` refuses: for a summary of 19 fields that is five times the cost of a plain
one, and a build makes one for every incident. `quick_maker` builds a plain twin with the
same slots, then gives it the frozen class: what comes out is an instance of that class in
every way, frozen too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def quick_maker(cls: type[T]) -> Callable[..., T]:
    """A constructor of `cls`, a frozen and slotted dataclass of plain fields, taking every
    field positionally, in order; the same value as `cls(*values)`, made faster.

    Raises TypeError for a class it cannot stand in for the `__init__` of: one that is not
    frozen and slotted, has a base of its own, a `__post_init__`, or a field not set by
    `__init__`.
    """
    params = getattr(cls, "__dataclass_params__", None)
    fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
    names = tuple(field.name for field in fields)
    if (
        params is None
        or not params.frozen
        or cls.__bases__ != (object,)
        or getattr(cls, "__slots__", None) != names
        or hasattr(cls, "__post_init__")
        or any(not field.init for field in fields)
    ):
        raise TypeError(f"quick_maker cannot make {cls.__qualname__}: see its docstring")
    twin: Any = dataclasses.make_dataclass(
        f"_{cls.__name__}Fields",
        [(name, Any) for name in names],
        slots=True,
        eq=False,
        repr=False,
        match_args=False,
    )

    def make(*values: Any) -> T:
        value = twin(*values)
        value.__class__ = cls  # same slots in the same order: the layouts agree
        return value  # type: ignore[no-any-return]

    make.__doc__ = f"A {cls.__qualname__} from its fields, in order."
    return make
