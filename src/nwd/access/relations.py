"""Relations between a user and a record, each answerable two ways: for one record, and in the database.

A page that shows one young person asks "is this user the key worker of this young person?"; a list
page or search must ask the database "which young people is this user the key worker of?", or it
would load everyone and filter in Python. If the two answers were written separately they would
drift apart, and a young person could appear in a search result whose page then refuses, or worse,
the other way round. So each relation is written once as a pair: ``test(user, record)`` and
``where(user)`` (a ``Q`` for the record's model, or ``ALL`` / ``NOTHING``), and relations combine
with ``&`` and ``|`` into both at once. The tests check, record by record, that the pair agrees.

Each relation also carries a ``rules`` predicate, which is what ``nwd.access.policy`` registers
with ``rules.add_perm``. Asked without a record (``user.has_perm("casework.view_plan")``) a
predicate answers whether the user's role may ever do it: the question navigation asks.

The policy is asked about records access does not own (a young person, a referral, a contact: the
casework records, above access in the layers). So access names them by *kind* (``"young person"``)
and declares the relations over them (``declared``); the app that owns the records registers the
model of each kind (``register_kind``) and answers each declared relation (``answer``) when its
models load (``nwd.casework.relations``). Access imports nothing of casework; the table of who
may do what stays in one place, ``nwd.access.policy``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import rules
from django.db.models import Exists, Model, OuterRef, Q


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


# ``Q()`` cannot stand for "everything": Django treats an empty Q as neutral in both & and |.
ALL = _Sentinel("ALL")
NOTHING = _Sentinel("NOTHING")

Where = Q | _Sentinel


def both(a: Where, b: Where) -> Where:
    if a is NOTHING or b is NOTHING:
        return NOTHING
    if a is ALL:
        return b
    if b is ALL:
        return a
    return a & b


def either(a: Where, b: Where) -> Where:
    if a is ALL or b is ALL:
        return ALL
    if a is NOTHING:
        return b
    if b is NOTHING:
        return a
    return a | b


# Answers already given while a page is read (``remembering()``): a page asks the same relation of
# the same record many times (every section of the young person's page asks "is this young person
# known to the service?", a query each), and a GET changes nothing the answers depend on.
_answers: ContextVar[dict | None] = ContextVar("nwd_relation_answers", default=None)


@contextlib.contextmanager
def remembering() -> Iterator[None]:
    """Within this block, each relation is asked of a user and a record at most once (for reads:
    ``nwd.access.decorators`` wraps GET and HEAD views in it)."""
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def user_key(user) -> tuple:
    """Everything about a user the policy's answers and database filters depend on (the rest, such as
    a restriction naming them, is read in the query itself): a key for what is worked out per user.
    Two users with the same key get the same SQL from every scope (``nwd.access.scopes``), so a query
    built on a scope can be compiled once for it (``nwd.casework.prepared.kept``)."""
    return (user.pk, user.role, user.hub_id, user.agency, user.organisation, user.is_active)


def signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


# The model of each kind of record the policy is asked about, registered by the app that owns it.
KINDS: dict[str, type[Model]] = {}


def register_kind(kind: str, model: type[Model]) -> None:
    KINDS[kind] = model


def model_of(kind: str) -> type[Model]:
    """The model of records of ``kind`` (``"young person"``), as its app registered it."""
    try:
        return KINDS[kind]
    except KeyError:
        raise LookupError(f"No app has registered the model of a {kind} record (nwd.access.relations).") from None


class Relation:
    """A yes/no relation between a user and a record of ``model`` (None: it ignores the record).

    ``model`` may be given as a kind (``"young person"``), looked up when first needed.
    """

    def __init__(
        self,
        name: str,
        test: Callable[[Any, Any], bool],
        where: Callable[[Any], Where],
        model: type[Model] | str | None = None,
        possible: Callable[[Any], bool] | None = None,
    ) -> None:
        self.name = name
        self._model = model
        self._raw_test = test
        self._where = where
        self._possible_fn = possible
        self.predicate = rules.predicate(self._check, name=name)
        # The two relations of an ``a | b`` (empty for any other): it holds wherever either does, so
        # it reaches at least as far as each (``reaches``).
        self.either_of: tuple[Relation, ...] = ()
        # Whether ``_test`` remembers its answers (``remembering()``). Not worth it where the test is
        # cheaper than the remembering: a role (``has_role``), and the ``&`` and ``|`` that combine a
        # permission's terms, whose parts remember theirs (a permission's rule remembers its own answer:
        # ``nwd.access.policy.rule_for``). A permission asked of the young person's page walks some ten.
        self.remembered = True

    def __repr__(self) -> str:
        return f"<Relation {self.name}>"

    @property
    def model(self) -> type[Model] | None:
        return model_of(self._model) if isinstance(self._model, str) else self._model

    def _test(self, user, record) -> bool:
        """``test`` itself, remembered within ``remembering()``: relations combined with ``&``, ``|``
        and ``via`` ask their parts through this, so a part shared by several permissions (a query
        each) is asked once."""
        if not self.remembered:
            return bool(self._raw_test(user, record))
        answers = _answers.get()
        if answers is None or getattr(record, "pk", None) is None:  # not remembering, or nothing to know it by
            return bool(self._raw_test(user, record))
        key = (self, user_key(user), type(record), record.pk)
        if key not in answers:
            answers[key] = bool(self._raw_test(user, record))
        return answers[key]

    def _possible(self, user) -> bool:
        """``where(user) is not NOTHING``, worked out without building the filter: combined relations
        ask their parts (``&``: both, ``|``: either, ``via``: the relation it follows), so a role-level
        question (navigation asks some twenty a page) builds no querysets or subqueries."""
        if self._possible_fn is not None:
            return self._possible_fn(user)
        return self._where(user) is not NOTHING

    def _check(self, user, record=None) -> bool:
        if not signed_in(user):
            return False
        if record is None:
            # Without a record: could this hold for some record? (Role-level: for navigation.)
            answers = _answers.get()
            if answers is None:
                return self._possible(user)
            key = (self, user_key(user))
            if key not in answers:
                answers[key] = self._possible(user)
            return answers[key]
        return self._test(user, record)

    def test(self, user, record) -> bool:
        """Does the relation hold between ``user`` and this ``record``?"""
        return self._check(user, record)

    def where(self, user) -> Where:
        """The records of ``model`` for which the relation holds, as a filter."""
        if not signed_in(user):
            return NOTHING
        answers = _answers.get()
        if answers is None:
            return self._where(user)
        # Within ``remembering()`` the filter is built once a request (a Q is never changed by
        # the querysets it filters: they copy what they resolve).
        key = (self, "where", user_key(user))
        if key not in answers:
            answers[key] = self._where(user)
        return answers[key]

    def filter(self, user, queryset):
        """``queryset`` narrowed, in the database, to the records the relation holds for."""
        condition = self.where(user)
        if condition is NOTHING:
            return queryset.none()
        if condition is ALL:
            return queryset
        return queryset.filter(condition)

    def __and__(self, other: Relation) -> Relation:
        def where(user) -> Where:
            # The right side is built only when the left leaves it a say: a permission's rule is
            # ``role A & scope | role B & scope | ...``, and building every role's scope (querysets,
            # subqueries) only to throw away all but one was most of a page's CPU.
            first = self._where(user)
            return NOTHING if first is NOTHING else both(first, other._where(user))

        made = Relation(
            f"{self.name} & {other.name}",
            lambda user, record: self._test(user, record) and other._test(user, record),
            where,
            self._model or other._model,
            lambda user: self._possible(user) and other._possible(user),
        )
        made.remembered = False
        return made

    def __or__(self, other: Relation) -> Relation:
        def where(user) -> Where:
            first = self._where(user)
            return ALL if first is ALL else either(first, other._where(user))

        made = Relation(
            f"({self.name} | {other.name})",
            lambda user, record: self._test(user, record) or other._test(user, record),
            where,
            self._model or other._model,
            lambda user: self._possible(user) or other._possible(user),
        )
        made.either_of = (self, other)
        made.remembered = False
        return made

    def reaches(self, other: Relation) -> bool:
        """Does this relation hold for every record ``other`` holds for, by its make-up? (``other``
        itself, or a part of an ``|`` that does.) False says nothing: only that it is not known so."""
        return self is other or any(part.reaches(other) for part in self.either_of)

    def via(self, field: str, model: type[Model] | str) -> Relation:
        """This relation, asked of ``record.<field>`` for records of ``model`` (a contact's young person)."""

        def where(user) -> Where:
            condition = self._where(user)
            target = self.model
            if condition is ALL or condition is NOTHING or target is None:
                return condition
            # A correlated EXISTS, not ``field IN (sub-select)``: SQLite materialises an IN
            # sub-select over every young person the council holds before looking at the few rows
            # a page shows (6.6 s against 23 ms for a key worker's referrals at scale 10).
            return Q(Exists(target.objects.filter(condition).filter(pk=OuterRef(field))))

        return Relation(
            f"{self.name} (of the {field.replace('_', ' ')})",
            lambda user, record: self._test(user, getattr(record, field)),
            where,
            model,
            self._possible,
        )


def relation(model: type[Model] | None, where: Callable[[Any], Where]):
    """Decorator: ``test`` is the function, ``where`` its database twin."""

    def wrap(test: Callable[[Any, Any], bool]) -> Relation:
        made = Relation(test.__name__, test, where, model)
        made.__doc__ = test.__doc__
        return made

    return wrap


# The relations declared by the policy and answered by the app that owns their records.
ANSWERS: dict[str, Relation] = {}


def declared(name: str, kind: str, meaning: str) -> Relation:
    """A relation over records of ``kind`` that the policy names; the owner of the records answers it."""

    def answer_of() -> Relation:
        try:
            return ANSWERS[name]
        except KeyError:
            raise LookupError(f"No app has answered the relation {name} (nwd.access.relations).") from None

    made = Relation(name, lambda user, record: answer_of()._test(user, record), lambda user: answer_of()._where(user), kind,
                    lambda user: answer_of()._possible(user))
    made.__doc__ = meaning
    return made


def answer(relation: Relation) -> Relation:
    """Register ``relation`` as the answer to the declared relation of the same name."""
    ANSWERS[relation.name] = relation
    return relation


def has_role(*roles: str) -> Relation:
    """The user holds one of ``roles`` (the record plays no part)."""
    wanted = frozenset(str(role) for role in roles)
    label = " or ".join(sorted(wanted))
    made = Relation(
        f"has_role({label})",
        lambda user, record: user.role in wanted,
        lambda user: ALL if user.role in wanted else NOTHING,
        None,
        lambda user: user.role in wanted,
    )
    made.remembered = False
    return made


def everything(model: type[Model] | str | None = None) -> Relation:
    return Relation("every record", lambda user, record: True, lambda user: ALL, model, lambda user: True)


def nothing(model: type[Model] | str | None = None) -> Relation:
    return Relation("no record", lambda user, record: False, lambda user: NOTHING, model, lambda user: False)
