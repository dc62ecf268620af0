"""The generic diagnoses (sgdlib.grading.diagnoses): each pattern is recognised, and only it.

Each test builds what a wrong function would return from the reference's own outputs on the
exercise's cases (twice the expected value, the rows shifted by one, ...), so the pattern holds
exactly and nothing else differs. The hint must name that pattern; an unrelated wrong answer and
a right one get no diagnosis; and a probe's hint wins over a diagnosis that matches as well.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import numpy as np
import pytest

from sgdlib.grading import get_exercise, grade
from sgdlib.grading.core import Case
from sgdlib.grading.diagnoses import diagnose, diagnose_error
from sgdlib.grading.diagnoses.batches import diagnose_batches
from sgdlib.grading.diagnoses.cases import _small_inputs_only
from sgdlib.grading.exercises.ch01 import numerical_gradient
from sgdlib.grading.sandbox import GLOBAL_SEED


def hints(exercise_id: str, wrong: Callable[[Any, Case], Any]) -> list[str]:
    """The diagnoses of a function returning ``wrong(expected value, case)`` on every case."""
    exercise = get_exercise(exercise_id)
    cases = exercise.cases()
    with np.errstate(all="ignore"):  # a case that overflows to inf and nan on purpose
        expected = {i: exercise.reference(*case.args) for i, case in enumerate(cases)}
        got = {i: wrong(expected[i], case) for i, case in enumerate(cases)}
        return diagnose(exercise, cases, got, expected)


def only(found: list[str]) -> str:
    assert len(found) == 1, found
    return found[0]


def test_a_right_answer_gets_no_diagnosis():
    assert hints("ch01_gradient_descent", lambda want, case: want.copy()) == []
    assert hints("ch01_mse_loss_and_grad", lambda want, case: want) == []


def test_an_unrelated_wrong_answer_gets_no_diagnosis():
    rng = np.random.default_rng(0)
    assert hints("ch01_numerical_gradient", lambda want, case: rng.normal(size=want.shape)) == []
    assert hints("ch01_largest_stable_lr", lambda want, case: float(rng.uniform(1, 5))) == []


@pytest.mark.parametrize("factor, phrase", [
    (2.0, "twice the expected value in every case (ratio 2.0)"),
    (0.5, "half the expected value in every case (ratio 0.5)"),
    (-1.0, "the negative of the expected value"),
    (3.0, "3.0 times the expected value in every case (ratio 3.0)"),
])
def test_a_constant_factor_is_named_with_its_ratio(factor, phrase):
    assert phrase in only(hints("ch01_numerical_gradient", lambda want, case: factor * want))


def test_a_factor_that_is_a_size_of_the_input_is_named_by_that_size():
    # Dividing by n - 1: the loss and the gradient are n / (n - 1) times the expected ones.
    def n_minus_one(want, case):
        n = case.args[1].shape[0]
        return want[0] * n / (n - 1), want[1] * n / (n - 1)

    assert only(hints("ch01_mse_loss_and_grad", n_minus_one)).startswith(
        "`loss` and `grad`: X.shape[0] / (X.shape[0] - 1) times the expected value in every case: "
        "you divided by X.shape[0] - 1 where X.shape[0] belongs")


def test_a_single_scalar_case_is_no_evidence_of_a_factor():
    # Only one case wrong, by a factor 2: a single number is a multiple of any other.
    def one_case_doubled(want, case):
        return 2 * want if case.label.startswith("H = diag(1, 10)") else want

    assert hints("ch01_largest_stable_lr", one_case_doubled) == []


def test_float32_results_are_recognised_by_their_precision():
    found = only(hints("ch01_gradient_descent", lambda want, case: want.astype(np.float32)))
    assert "float32 precision" in found


def ng_float32_over_h(f, x, h=1e-5):
    # float32 and a second mistake: the central difference divided by h, not 2 h.
    x = np.asarray(x, dtype=np.float32)
    grad = np.zeros(len(x), dtype=np.float32)
    for i in range(len(x)):
        e = np.zeros(len(x), dtype=np.float32)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / h
    return grad


@pytest.mark.parametrize("exercise_id, candidate, phrase", [
    ("ch01_numerical_gradient", ng_float32_over_h, "twice the expected value in every case"),
    ("ch01_largest_stable_lr", lambda H: np.float32(1) / np.linalg.eigvalsh(H.astype(np.float32)).max(),
     "half the expected value in every case"),
    ("ch01_largest_stable_lr", lambda H: np.float32(-2) / np.linalg.eigvalsh(H.astype(np.float32)).max(),
     "the negative of the expected value"),
], ids=["numerical gradient over h", "1 / L", "-2 / L"])
def test_a_float32_answer_with_another_mistake_is_told_that_mistake(exercise_id, candidate, phrase):
    # float32 explains a gap of float32's size only: a float32 answer off by a factor gets the
    # factor's hint (the pattern holds to float32 precision), not "float32 precision".
    report = grade(exercise_id, candidate)
    assert not any("float32 precision" in h for h in report.hints), report.hints
    assert any(phrase in h for h in report.hints), report.hints


def test_float32_overflow_where_float64_does_not_is_still_float32():
    # The diverging case's 1e39 is beyond float32's range: inf there is float32's, not a mistake.
    def to_float32(want, case):
        with np.errstate(over="ignore"):
            return want.astype(np.float32)

    exercise = get_exercise("ch01_gradient_descent")
    with np.errstate(all="ignore"):
        trajectories = [np.abs(exercise.reference(*c.args)) for c in exercise.cases()]
    assert any(np.any(np.isfinite(t) & (t > np.finfo(np.float32).max)) for t in trajectories)
    assert "float32 precision" in only(hints("ch01_gradient_descent", to_float32))


def test_rounding_is_recognised_with_its_number_of_decimals():
    found = only(hints("ch01_numerical_gradient", lambda want, case: np.round(want, 5)))
    assert "rounded to 5 decimals" in found


def test_whole_numbers_where_fractions_are_expected():
    found = only(hints("ch01_largest_stable_lr", lambda want, case: float(np.floor(want))))
    assert "whole numbers where the expected values have fractions" in found and "`//`" in found


def test_wrong_only_on_integer_inputs_is_blamed_on_the_integers():
    def truncated_when_integer(want, case):
        return np.trunc(want) if case.args[1].dtype.kind == "i" else want

    found = only(hints("ch01_gradient_descent", truncated_when_integer))
    assert found.startswith("Your function is right on every float input but wrong when an input "
                            "holds integers (x0 = [4, -2])")
    assert "`x0 = np.array(x0, dtype=float)`" in found


def test_a_trajectory_that_stops_early_is_told_to_run_every_step():
    found = only(hints("ch01_gradient_descent", lambda want, case: want[:2]))
    assert "rest are missing" in found and "your loop ends too early" in found
    zeros_after_two = only(hints("ch01_gradient_descent",
                                 lambda want, case: np.vstack([want[:2], np.zeros_like(want[2:])])))
    assert "rest are still zero" in zeros_after_two


def test_a_loop_one_short_names_the_last_entry_in_every_case():
    # Not "the first 1 of 2 entries" while the case shown has a single entry (zero, like the rest).
    def last_zero(want, case):
        got = want.copy()
        got[-1] = 0.0
        return got

    found = only(hints("ch01_numerical_gradient", last_zero))
    assert found.startswith("`gradient`: in every failing case only the last entry is wrong: it is "
                            "still zero")
    assert "range(len(x))" in found and "divergence" not in found  # worded for entries


def test_a_hint_quoting_one_case_quotes_the_case_shown():
    exercise = get_exercise("ch01_gradient_descent")
    cases = exercise.cases()
    with np.errstate(all="ignore"):
        expected = {i: exercise.reference(*case.args) for i, case in enumerate(cases)}
    got = {i: want[:len(want) // 2 + 1] for i, want in expected.items()}
    longest = max(range(len(cases)), key=lambda i: len(expected[i]))
    (found,) = diagnose(exercise, cases, got, expected, shown=cases[longest])
    n = len(expected[longest])
    assert f"only the first {n // 2 + 1} of {n} rows are right in the case shown" in found
    (found,) = diagnose(exercise, cases, got, expected)  # none shown: the smallest failing case
    assert "of 4 rows are right in the case shown" in found


@pytest.mark.parametrize("stop", [3, 5])
def test_a_run_stopped_and_filled_with_its_last_point_is_told_to_run_every_step(stop):
    def filled_after(want, case):
        got = want.copy()
        if len(got) > stop:
            got[stop:] = got[stop - 1]  # a `break`, then the last point repeated
        return got

    found = only(hints("ch01_gradient_descent", filled_after))
    assert found.startswith(f"`trajectory`: the first {stop} rows are right, then row {stop - 1} "
                            "repeats to the end")
    assert "your loop ends too early" in found


def test_a_point_never_updated_is_not_called_a_stop():
    # Row 1 repeated on every case: not a stopping test (the point from which it steps is stuck).
    found = only(hints("ch01_gradient_descent", lambda want, case: np.vstack(
        [want[:1], np.repeat(want[1:2], len(want) - 1, axis=0)])))
    assert "repeats to the end" not in found and "not updated" in found


def test_rows_going_wrong_say_why_only_with_evidence():
    def same_step(want, case):
        steps = np.arange(len(want))[:, None] * (want[1] - want[0] if len(want) > 1 else 0.0)
        return want[0] + steps

    def capped(want, case):
        return np.clip(want, -1e6, 1e6)

    found = only(hints("ch01_gradient_descent", same_step))
    assert "every step you take is the same: a value computed once before the loop" in found
    found = only(hints("ch01_gradient_descent", capped))
    assert "the expected values grow past" in found and "something caps large values" in found
    assert "computed once before the loop" not in found


def test_a_near_miss_is_not_called_a_permutation_a_factor_or_a_sign_error():
    # A central difference for the gradient: 4e-8 off, in the right order, sign and size.
    def slightly_off(want, case):
        loss, grad = want
        return loss, grad * (1 + 4e-8 * np.cos(np.arange(grad.size)))

    found = only(hints("ch01_mse_loss_and_grad", slightly_off))
    assert found.startswith("`grad`: close, not exact: within ")
    assert "a finite difference in place of the exact formula" in found
    assert "0.00%" not in found and "e-06%" in found  # significant digits, not 0.00 %


def test_an_index_the_loop_skips_is_named():
    def first_entry_zero(want, case):
        got = want.copy()
        got[0] = 0.0
        return got

    assert "entry 0 is still zero" in only(hints("ch01_numerical_gradient", first_entry_zero))


def test_rows_right_and_then_wrong():
    def wrong_after_two(want, case):
        got = want.copy()
        got[2:] *= 1.01  # relative: inf and nan stay as they are
        return got

    found = only(hints("ch01_gradient_descent", wrong_after_two))
    assert "the first 2 rows are right, then they go wrong" in found


def test_items_going_wrong_with_no_sign_of_a_loop_do_not_blame_a_loop_alone():
    # lr0 / (1 + decay * t**2): right at t = 0 and 1, wrong after, and there may be no loop at all.
    def t_squared(want, case):
        lr0, decay, n_steps = case.args
        return lr0 / (1 + decay * np.arange(n_steps) ** 2.0)

    found = only(hints("ch02_inverse_time_lr", t_squared))
    assert "the first 2 entries are right, then they go wrong" in found
    assert "agrees with the formula on the first entries only" in found and "`t * t`" in found


def test_every_row_the_final_one_is_one_array_stored_again_and_again():
    def all_rows_last(want, case):
        return np.broadcast_to(want[-1], want.shape).copy()

    found = only(hints("ch01_gradient_descent", all_rows_last))
    assert "every row is the same, the expected last row" in found
    assert "`trajectory.append(x.copy())`" in found
    # A trajectory that stands still from row 1 on is not that (its row 0 is theta0).
    assert "every row is the same" not in "".join(hints(
        "ch01_gradient_descent", lambda want, case: np.broadcast_to(want[0], want.shape).copy()))


def test_zero_everywhere_names_a_quantity_that_is_zero_by_construction():
    found = only(hints("ch01_numerical_gradient", lambda want, case: 1e-20 * np.ones_like(want)))
    assert "zero everywhere" in found and "the mean of deviations from the mean" in found


def test_a_vector_against_the_rows_of_a_matrix_is_told_to_add_an_axis():
    exercise = get_exercise("ch01_mse_loss_and_grad")
    case = exercise.cases()[0]
    message = "operands could not be broadcast together with shapes {} {} "
    found = diagnose_error(exercise, case, message.format("(4,)", "(4,2)"))
    assert len(found) == 1 and "`v[:, None] * X`" in found[0] and "shape (4,)" in found[0]
    # Shapes that do not say "one entry per row" get no hint.
    assert diagnose_error(exercise, case, message.format("(3,)", "(4,2)")) == []
    assert diagnose_error(exercise, case, message.format("(2,)", "(2,2)")) == []


@pytest.mark.parametrize("shift, phrase", [
    (1, "row k holds the expected row k + 1 (everything moved up by one)"),
    (-1, "row k holds the expected row k - 1 (everything moved down by one)"),
])
def test_rows_shifted_by_one(shift, phrase):
    found = only(hints("ch01_gradient_descent", lambda want, case: np.roll(want, -shift, axis=0)))
    assert phrase in found


def ng_list_never_appended(f, x, h=1e-5):
    grads = []
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        g = (f(x + e) - f(x - e)) / (2 * h)  # forgot grads.append(g)
    return np.array(grads)


def gd_empty_trajectory(grad, x0, lr, n_steps):
    return np.zeros((0, len(x0)))


@pytest.mark.parametrize("exercise_id, candidate", [
    ("ch01_numerical_gradient", ng_list_never_appended),
    ("ch01_gradient_descent", gd_empty_trajectory),
], ids=["gradient list never appended to", "empty trajectory"])
def test_an_empty_result_is_not_called_shifted(exercise_id, candidate):
    # Nothing overlaps, so nothing is shifted: the shape message says what is missing.
    report = grade(exercise_id, candidate)
    assert report.summary.startswith("shape:") and "has shape (0," in report.summary
    assert not any("holds the expected" in h for h in report.hints), report.hints


def test_diagnoses_take_as_right_what_check_takes_as_right():
    # One test of "right" (Exercise.close): values the values check accepts - an empty list for an
    # empty array, an overflowing run's inf and nan, integers for whole floats - are right pairs
    # for the diagnoses too, so they get no diagnosis.
    exercise = get_exercise("ch01_numerical_gradient")
    cases = exercise.cases()[:3]
    want = {0: np.zeros((0, 2)), 1: np.array([np.inf, np.nan, 1.0]), 2: np.array([2.0, -1.0])}
    got = {0: np.array([]), 1: np.array([np.inf, np.nan, 1.0]), 2: np.array([2, -1])}
    assert all(exercise.close(got[i], want[i]) for i in want)
    assert diagnose(exercise, cases, got, want) == []


def test_a_running_total_of_the_expected_entries():
    assert "running total" in only(hints("ch01_numerical_gradient", lambda want, case: np.cumsum(want)))


def test_transposed_and_reshaped_results():
    assert "transposed" in only(hints("ch01_gradient_descent", lambda want, case: want.T))
    assert "the right numbers in the wrong shape" in only(
        hints("ch01_numerical_gradient", lambda want, case: want[None, :]))


def test_reversed_and_permuted_entries():
    assert "in reverse order" in only(hints("ch01_numerical_gradient", lambda want, case: want[::-1]))
    def first_two_swapped(want, case):
        return want[[1, 0, *range(2, want.size)]] if want.size > 2 else want

    assert "in a different order" in only(hints("ch01_numerical_gradient", first_two_swapped))


def test_right_magnitudes_with_some_signs_wrong():
    def first_sign_flipped(want, case):
        got = want.copy()
        got[0] = -got[0]
        return got

    assert "signs are wrong" in only(hints("ch01_numerical_gradient", first_sign_flipped))


def test_reciprocal_and_powers_of_a_scalar():
    lr = "ch01_largest_stable_lr"
    assert "the reciprocal of the expected value" in only(hints(lr, lambda want, case: 1 / want))
    assert "4.0 divided by the expected value" in only(hints(lr, lambda want, case: 4 / want))
    assert "the square root of the expected value" in only(
        hints("ch01_mse_loss_and_grad", lambda want, case: (np.sqrt(want[0]), want[1])))


def test_an_approximation_is_told_how_close_it_is():
    found = only(hints("ch01_largest_stable_lr", lambda want, case: want * (1 + 0.01 * np.sin(want))))
    assert found.startswith("`lr_max`: close, not exact: within 0.") and "too few iterations" in found


def test_the_right_values_of_a_tuple_point_to_the_wrong_one():
    found = only(hints("ch01_mse_loss_and_grad", lambda want, case: (want[0] + want[0] ** 3, want[1])))
    assert found.startswith("`loss`: wrong, while `grad` is right on every case")


def test_right_on_small_inputs_only_points_to_a_fixed_size():
    def wrong_when_large(want, case):
        return want + 1.0 if max(case.args[1].shape) > 2 else want

    found = only(hints("ch01_numerical_gradient", wrong_when_large))
    assert "right on every input of size 2 or less" in found


def test_one_right_case_is_no_evidence_of_a_fixed_size():
    # Right on the single smallest case only (a trivial one, often): nothing says a size is fixed.
    exercise = get_exercise("ch01_numerical_gradient")
    cases = [Case((None, np.zeros(k))) for k in (2, 3, 5)]
    one_right = [(cases[0], True), (cases[1], False), (cases[2], False)]
    two_right = [(cases[0], True), (cases[1], True), (cases[2], False)]
    assert _small_inputs_only(one_right, exercise) is None
    assert "right on every input of size 3 or less" in _small_inputs_only(two_right, exercise)


def test_a_large_diverging_row_does_not_hide_the_small_ones():
    # Rows grow to 1e19 in the diverging case: a pattern is judged row by row, so a trajectory that
    # stops after 13 rows is not taken for one shifted by a row (13 rows of 1e6 are "small").
    found = only(hints("ch01_gradient_descent", lambda want, case: want[:13]))
    assert "your loop ends too early" in found


def test_a_probe_hint_wins_over_a_diagnosis_of_the_same_answer():
    # Dividing by h instead of 2h doubles the gradient: the probe names it better than "twice".
    report = grade("ch01_numerical_gradient", numerical_gradient._over_h)
    assert report.hints == [numerical_gradient.DIVIDE_BY_H.hint]


def test_check_uses_the_diagnoses_when_no_probe_matches():
    def tripled(f, x, h=1e-5):
        return 3 * numerical_gradient.numerical_gradient(f, x, h)

    report = grade("ch01_numerical_gradient", tripled)
    assert len(report.hints) == 1 and "3.0 times the expected value" in report.hints[0]


def batch_hints(wrong: Callable[[list[np.ndarray]], list[np.ndarray]]) -> list[str]:
    """The diagnoses of minibatch_indices answers returning ``wrong(expected batches)``."""
    exercise = get_exercise("ch03_minibatch_indices")
    cases = exercise.cases()
    expected = {i: exercise.reference(*case.call_args()) for i, case in enumerate(cases)}
    return diagnose(exercise, cases, {i: wrong(want) for i, want in expected.items()}, expected)


def _shift_all(want: list[np.ndarray]) -> list[np.ndarray]:
    return [w + 1 for w in want]


def _last_filled_up(want: list[np.ndarray]) -> list[np.ndarray]:
    if not want or len(want[-1]) == len(want[0]):
        return want
    return want[:-1] + [np.concatenate([want[-1], want[0][:len(want[0]) - len(want[-1])]])]


def _other_order(want: list[np.ndarray]) -> list[np.ndarray]:
    order = np.concatenate(want)[::-1] if want else np.zeros(0, int)
    cuts = np.cumsum([len(w) for w in want])[:-1]
    return np.split(order, cuts) if want else want


@pytest.mark.parametrize("wrong, phrase", [
    (lambda want: [np.sort(w) for w in want], "but sorted"),
    (lambda want: want[:-1], "without the last"),
    (lambda want: [w[:-1] for w in want], "each batch is the start of the expected one, but shorter"),
    (_last_filled_up, "your last batch starts with the right examples and then goes on"),
    (_shift_all, "every index is 1 more than expected"),
    (_other_order, "a different random order"),
    (lambda want: [np.concatenate([w, want[0][:1]]) for w in want], "more than once in one epoch"),
    (lambda want: [np.concatenate(want)] if want else want, "your batches have lengths"),
])
def test_mistakes_in_a_list_of_batches_are_named(wrong, phrase):
    assert phrase in only(batch_hints(wrong))


def test_right_batches_get_no_diagnosis_and_batches_of_one_example_name_it():
    assert batch_hints(lambda want: want) == []
    assert "example 0 appears more than once" in only(
        batch_hints(lambda want: [np.zeros(len(w), dtype=int) for w in want]))


@pytest.mark.parametrize("message, phrase", [
    ("'NoneType' object is not subscriptable", "works in place returns None"),
    ("negative dimensions are not allowed", "negative length"),
    ("unsupported operand type(s) for @: 'numpy.float64' and 'numpy.float64'", "without its axis"),
    ("diag requires an array of at least two dimensions", "rowvar=False"),
    ("array split does not result in an equal division", "*equal* parts"),
    ("could not broadcast input array from shape (10,) into shape (6,)", "You assign 10 values"),
])
def test_error_messages_that_name_a_mistake(message, phrase):
    case = Case((np.array([1.0, 2.0]),))
    assert phrase in only(diagnose_error(get_exercise("ch03_gradient_noise_scale"), case, message))


def test_a_division_by_zero_names_the_zero_argument_and_the_expected_value():
    exercise = get_exercise("ch03_warmup_linear_scaling_lr")
    found = only(diagnose_error(exercise, Case((0.1, 256, 32, 0, 2)), "division by zero"))
    assert "`warmup_steps` is 0" in found and "[0.8, 0.8]" in found
    assert diagnose_error(exercise, Case((0.1, 256, 32, 0, 2)), "could not broadcast input array "
                          "from shape (2,) into shape (6,)") == []


def test_a_division_by_zero_on_an_ordinary_case_is_not_blamed_on_a_zero():
    exercise = get_exercise("ch03_warmup_linear_scaling_lr")
    assert diagnose_error(exercise, Case((0.1, 64, 32, 4, 8)), "division by zero") == []


def test_a_missing_last_batch_is_full_only_when_it_holds_batch_size_examples():
    # n = 5, batch_size = 8: the one batch is the smaller last batch, not a full one.
    arg_names = get_exercise("ch03_minibatch_indices").arg_names
    want = [np.array([3, 0, 4, 1, 2])]
    found = only(diagnose_batches("batches", [Case((5, 8, None, False))], [[]], [want], [False], arg_names))
    assert "without the last, smaller one" in found and "a full batch" not in found
    full = [np.array([3, 0]), np.array([4, 1])]
    found = only(diagnose_batches("batches", [Case((4, 2, None, False))], [full[:1]], [full], [False],
                                  arg_names))
    assert "which is a full batch here" in found


def test_the_reference_behind_a_division_by_zero_hint_runs_seeded_and_leaves_the_global_state():
    # The expected value quoted in the hint is the one check computes: numpy's global random
    # state seeded with GLOBAL_SEED, and the kernel's state put back afterwards.
    exercise = dataclasses.replace(get_exercise("ch03_warmup_linear_scaling_lr"),
                                   reference=lambda *args: np.array([np.inf, np.random.randint(1000)]))
    np.random.seed(GLOBAL_SEED)
    seeded = np.random.randint(1000)
    np.random.seed(GLOBAL_SEED + 7)
    before = np.random.get_state()[1].copy()
    found = only(diagnose_error(exercise, Case((0.1, 256, 32, 0, 2)), "division by zero"))
    assert f"{seeded}" in found
    assert np.array_equal(np.random.get_state()[1], before)


def test_zeros_where_the_expected_values_are_not_are_no_sign_error():
    def zeroed(want, case):
        got = want.copy()
        got.ravel()[1:] = 0.0  # a missing term, not a flipped sign
        return got

    assert not any("signs are wrong" in h for h in hints("ch01_numerical_gradient", zeroed))


def test_a_nan_answer_gets_no_ratio_or_sign_diagnosis():
    def nan_somewhere(want, case):
        got = np.array(want, dtype=float)
        got.ravel()[0] = np.nan
        return got

    found = " ".join(hints("ch01_numerical_gradient", nan_somewhere))
    for phrase in ("divided by the expected value", "times the expected value", "signs are wrong", "the square"):
        assert phrase not in found


def test_an_in_place_update_names_the_integer_array_it_writes_into_from_the_traceback():
    exercise = get_exercise("ch04_nesterov_step")
    case = Case((np.array([1, -2]), np.array([3, 1]), np.array([2, 2]), 1, 0.5))
    message = ("Cannot cast ufunc 'multiply' output from dtype('float64') to dtype('int64') with "
               "casting rule 'same_kind'")
    traceback = ('  File "answer.py", line 3, in step\n    else: buf *= momentum; buf += grad\n'
                 '          ^^^^^^^^^^^^^^^\n')
    assert only(diagnose_error(exercise, case, message, traceback)).startswith("`buf` is an integer array here")
    assert only(diagnose_error(exercise, case, message)).startswith("`theta` and `buf` and `grad` are integer arrays")


def test_a_division_by_zero_names_the_divisor_of_the_line_that_raised():
    exercise = get_exercise("ch06_warmup_cosine_lr")
    case = Case((0, 0.2, 0, 5, 0.01, 0.0))
    found = only(diagnose_error(exercise, case, "division by zero", '  File "a.py", line 2, in f\n    frac = t / W\n'))
    assert "you divide by `W`, which is 0 in this case" in found
    assert "`t` and `warmup_steps` and `eta_min` are 0" in only(diagnose_error(exercise, case, "division by zero"))


def test_the_truth_value_of_an_array_suggests_is_none():
    exercise = get_exercise("ch04_heavy_ball_step")
    message = "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()"
    assert "`if buf is None:`" in only(diagnose_error(exercise, exercise.fixed_cases[0], message))
    assert "is None" not in only(diagnose_error(get_exercise("ch01_gradient_descent"),
                                                get_exercise("ch01_gradient_descent").fixed_cases[0], message))


@pytest.mark.parametrize("line", ["steps = theta / (momentum - 0.9)", "ratio = lr / momentum",
                                  "ratio = theta / momentum ** 2"])
def test_a_division_by_zero_names_no_divisor_that_does_not_stand_alone_or_is_not_zero(line):
    # lr is the case's zero argument; none of these lines divides by it on its own.
    exercise = get_exercise("ch04_heavy_ball_step")
    case = exercise.fixed_cases[7]
    assert case.args[3] == 0.0
    found = only(diagnose_error(exercise, case, "float division by zero",
                                f'  File "<cell>", line 3, in heavy_ball_step\n    {line}\n'))
    assert "you divide by" not in found and "`lr` is 0 in this case" in found


def test_the_raising_line_is_the_innermost_line_of_the_learners_code():
    tb = ('  File "<cell>", line 3, in f\n    frac = t / W\n'
          f'  File "{np.__file__}", line 40, in mean\n    ret = ret / rcount\n')
    exercise = get_exercise("ch06_warmup_cosine_lr")
    found = only(diagnose_error(exercise, Case((0, 0.2, 0, 5, 0.01, 0.0)), "division by zero", tb))
    assert "you divide by `W`, which is 0 in this case" in found
