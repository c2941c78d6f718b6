"""quick_maker: the same frozen values as the class's own constructor, made faster."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from statuspage.model.values import quick_maker


@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: tuple[int, ...]
    label: str | None = None


def test_it_makes_the_value_the_constructor_makes_and_it_stays_frozen() -> None:
    make = quick_maker(Point)
    made = make(1, (2, 3), "a")
    assert type(made) is Point
    assert made == Point(1, (2, 3), "a")
    assert hash(made) == hash(Point(1, (2, 3), "a"))
    assert repr(made) == "Point(x=1, y=(2, 3), label='a')"
    with pytest.raises(FrozenInstanceError):
        made.x = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        make(1)  # every field, in order


@dataclass(slots=True)
class Plain:
    x: int


@dataclass(frozen=True)
class NoSlots:
    x: int


@dataclass(frozen=True, slots=True)
class Checked:
    x: int

    def __post_init__(self) -> None:
        if self.x < 0:
            raise ValueError("negative")


@dataclass(frozen=True, slots=True)
class Derived:
    x: int
    twice: int = field(init=False, default=0)


@dataclass(frozen=True, slots=True)
class Child(Point):
    z: int = 0


@pytest.mark.parametrize("cls", [Plain, NoSlots, Checked, Derived, Child])
def test_it_refuses_a_class_whose_init_it_cannot_stand_in_for(cls: type) -> None:
    with pytest.raises(TypeError, match="quick_maker cannot make"):
        quick_maker(cls)
