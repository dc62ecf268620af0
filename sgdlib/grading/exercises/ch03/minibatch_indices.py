"""Exercise 3.1: the mini-batches of one epoch.

    order = rng.permutation(n);  batch k = order[k B : (k + 1) B],  k = 0, 1, ...

The batches partition the n examples: ceil(n / B) batches, the last one smaller when B does not
divide n. With ``drop_last`` that smaller batch is left out (floor(n / B) batches, each exactly
B examples). ``minibatch_indices(n, batch_size, rng, drop_last=False)`` returns the batches as a
list of 1-D integer arrays; ``rng`` is a ``numpy.random.Generator``, the only source of
randomness, and it draws exactly one permutation.
"""

from __future__ import annotations

import numpy as np

from ...core import Case, Exercise, Output, Probe, seeded_generator

__all__ = ["EXERCISE", "minibatch_indices"]


def minibatch_indices(n: int, batch_size: int, rng: np.random.Generator,
                      drop_last: bool = False) -> list[np.ndarray]:
    """Reference: consecutive slices of batch_size of one permutation of range(n)."""
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


# ---------------------------------------------------------------------------------------------
# Inputs. No argument is an array (Case.size is 0), so the cases are checked in the order
# written here: the simplest first.

FIXED_CASES = (
    Case((10, 4, seeded_generator(0), False), "n = 10, B = 4: the last batch has 2 examples"),
    Case((10, 4, seeded_generator(1), True), "n = 10, B = 4, drop_last: the 2 left over are dropped"),
    Case((12, 4, seeded_generator(2), False), "n = 12, B = 4 divides n: 3 full batches"),
    Case((12, 4, seeded_generator(3), True), "n = 12, B = 4 divides n, drop_last: nothing to drop"),
    Case((10, 3, seeded_generator(4)), "n = 10, B = 3, drop_last left at its default (False)"),
    Case((5, 1, seeded_generator(5), False), "B = 1: one example per batch"),
    Case((6, 6, seeded_generator(6), False), "B = n: one batch of every example"),
    Case((5, 8, seeded_generator(7), False), "B = 8 > n = 5: one smaller batch of all 5"),
    Case((5, 8, seeded_generator(8), True), "B = 8 > n = 5, drop_last: no full batch, so no batch at all"),
    Case((1, 1, seeded_generator(9), False), "one example (n = 1), B = 1"),
    Case((1, 3, seeded_generator(10), True), "one example (n = 1), B = 3, drop_last: no batch"),
)


def random_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, drop_last in ((23, False), (40, True), (57, True), (64, False)):
        batch_size = int(rng.integers(2, 12))
        cases.append(Case((n, batch_size, seeded_generator(int(rng.integers(1000))), drop_last),
                          f"n = {n}, random B = {batch_size}, drop_last = {drop_last}"))
    return cases


# ---------------------------------------------------------------------------------------------
# Mistakes, each next to its hint


def _in_order(n, batch_size, rng, drop_last=False):
    order = np.arange(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


NOT_SHUFFLED = Probe(
    "not_shuffled",
    "Your batches take the examples in their stored order 0, 1, ..., n - 1. Shuffle first: cut "
    "the slices from `order = rng.permutation(n)`, not from `np.arange(n)`; otherwise every "
    "epoch sees the same batches.",
    (_in_order,))


def _global_state(n, batch_size, rng, drop_last=False):
    order = np.random.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


GLOBAL_STATE = Probe(
    "global_random_state",
    "You draw the order from numpy's global random state (np.random.permutation or "
    "np.random.shuffle), not from the generator you are given. Use `rng.permutation(n)`: then the "
    "caller's seed decides the batches.",
    (_global_state,))


def _always_drops(n, batch_size, rng, drop_last=False):
    return minibatch_indices(n, batch_size, rng, drop_last=True)


def _range_n_over_b(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(n // batch_size)]


ALWAYS_DROPS_LAST = Probe(
    "always_drops_last",
    "You always leave out the last, smaller batch (n // batch_size batches), so when B does not "
    "divide n the last n % B examples are never used. Without drop_last keep it: "
    "`range(0, n, batch_size)` starts a batch at every multiple of B below n (ceil(n / B) batches).",
    (_always_drops, _range_n_over_b))


def _never_drops(n, batch_size, rng, drop_last=False):
    return minibatch_indices(n, batch_size, rng, drop_last=False)


NEVER_DROPS_LAST = Probe(
    "ignores_drop_last",
    "With drop_last=True you still return the last, smaller batch. drop_last asks for full batches "
    "only: stop the batches at `n - n % batch_size` (floor(n / B) batches, and none when B > n).",
    (_never_drops,))


def _one_too_many(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    count = n // batch_size if drop_last else n // batch_size + 1
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(count)]


EMPTY_LAST_BATCH = Probe(
    "empty_last_batch",
    "When B divides n you return one batch too many, an empty one at the end: n // B + 1 is one "
    "more than ceil(n / B) then. Count -(-n // B) batches (integer ceiling), or let "
    "`range(0, n, batch_size)` give the start of each batch.",
    (_one_too_many,))


def _stops_one_batch_early(n, batch_size, rng, drop_last=False):
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n - batch_size, batch_size)]


STOPS_EARLY = Probe(
    "stops_one_batch_early",
    "Your loop stops one batch early: `range(0, n - batch_size, batch_size)` leaves out the last "
    "batch even when it is full. A batch may start at any multiple of B below n: "
    "`range(0, n, batch_size)` (and stop at `n - n % batch_size` with drop_last).",
    (_stops_one_batch_early,))


def _batch_sizes(n, batch_size, drop_last):
    full, rest = divmod(n, batch_size)
    return [batch_size] * full + ([rest] if rest and not drop_last else [])


def _with_replacement(n, batch_size, rng, drop_last=False):
    return [rng.integers(0, n, size=size) for size in _batch_sizes(n, batch_size, drop_last)]


def _choice_per_batch(n, batch_size, rng, drop_last=False):
    return [rng.choice(n, size=size, replace=False) for size in _batch_sizes(n, batch_size, drop_last)]


def _permutation_per_batch(n, batch_size, rng, drop_last=False):
    stop = n - n % batch_size if drop_last else n
    return [rng.permutation(n)[start:start + batch_size] for start in range(0, stop, batch_size)]


DRAWN_PER_BATCH = Probe(
    "drawn_per_batch",
    "You draw each batch on its own (rng.integers, rng.choice, or a new rng.permutation(n) per "
    "batch), so one epoch uses some examples twice and misses others. Draw one permutation per "
    "epoch, `order = rng.permutation(n)`, before the loop, and cut every batch from it: then the "
    "batches partition the examples.",
    (_with_replacement, _choice_per_batch, _permutation_per_batch))


def _choice_order(n, batch_size, rng, drop_last=False):
    order = rng.choice(n, size=n, replace=False)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


CHOICE_NOT_PERMUTATION = Probe(
    "choice_not_permutation",
    "You draw the order with rng.choice(n, n, replace=False). That is a random order too, but "
    "not the one rng.permutation(n) draws from the same seed, so your batches cannot be compared "
    "with the reference: use `rng.permutation(n)` as asked.",
    (_choice_order,))


def _array_split_into_count(n, batch_size, rng, drop_last=False):
    batches = np.array_split(rng.permutation(n), -(-n // batch_size))  # ceil(n / B) parts
    if drop_last and len(batches[-1]) < batch_size:
        batches.pop()
    return batches


ARRAY_SPLIT_COUNT = Probe(
    "array_split_count",
    "Your batches have nearly equal sizes, not B each: np.array_split(order, k) cuts into k parts "
    "of about n / k. Cut at the multiples of B instead: "
    "`np.array_split(order, range(batch_size, n, batch_size))`, or slice order[start:start + B].",
    (_array_split_into_count,))


def _own_generator(seed):
    def mistake(n, batch_size, rng, drop_last=False):
        return minibatch_indices(n, batch_size, np.random.default_rng(seed), drop_last)

    return mistake


OWN_SEEDED_GENERATOR = Probe(
    "own_seeded_generator",
    "You make a seeded generator of your own inside the function (np.random.default_rng(0) or "
    "similar) and ignore the `rng` argument, so every epoch gets the same batches whatever the "
    "caller's seed. Draw the order from the `rng` you are given.",
    tuple(_own_generator(seed) for seed in (0, 1, 42, 123, 1234, 2024)))


def _one_array(n, batch_size, rng, drop_last=False):
    batches = minibatch_indices(n, batch_size, rng, drop_last)
    return np.concatenate(batches) if batches else np.zeros(0, dtype=int)


ONE_ARRAY = Probe(
    "one_array",
    "You return the shuffled order (the examples of the epoch) as one array, not cut into "
    "batches. Return a list with one array per batch: "
    "`[order[start:start + batch_size] for start in range(0, stop, batch_size)]`.",
    (_one_array,))


def _drop_last_inverted(n, batch_size, rng, drop_last=False):
    return minibatch_indices(n, batch_size, rng, not drop_last)


DROP_LAST_INVERTED = Probe(
    "drop_last_inverted",
    "Your drop_last works the wrong way round: you leave out the last, smaller batch when "
    "drop_last is False and keep it when it is True. drop_last=True asks to drop it: "
    "`stop = n - n % batch_size if drop_last else n`.",
    (_drop_last_inverted,))


EXERCISE = Exercise(
    id="ch03_minibatch_indices",
    number=1,
    title="The mini-batches of one epoch",
    function_name="minibatch_indices",
    arg_names=("n", "batch_size", "rng", "drop_last"),
    reference=minibatch_indices,
    fixed_cases=FIXED_CASES,
    random_cases=random_cases,
    returns=(Output("batches", "index arrays"),),
    probes=(NOT_SHUFFLED, GLOBAL_STATE, ALWAYS_DROPS_LAST, NEVER_DROPS_LAST, EMPTY_LAST_BATCH,
            STOPS_EARLY, DRAWN_PER_BATCH, CHOICE_NOT_PERMUTATION, ARRAY_SPLIT_COUNT, OWN_SEEDED_GENERATOR,
            ONE_ARRAY, DROP_LAST_INVERTED),
)
