"""Every optimizer's rule reads line for line like the numbered equations of its docstring.

A learner opens ``sgdlib/optim/adam.py`` next to the lesson: equation (3) of the docstring is
the line of ``_update`` that ends in ``# (3)``, and that comment states equation (3) itself.
These tests pin that correspondence both ways, so an equation cannot be added, dropped,
renumbered or rewritten on one side only, and a computation cannot hide in an unnumbered line.
"""

from __future__ import annotations

import ast
import inspect
import io
import re
import textwrap
import tokenize

import pytest

from sgdlib.optim import OPTIMIZERS

EQUATION = re.compile(r"^\((\d+'?)\)\s+(.*)$")       # "(3) v <- ..." at the start of a rule line
COMMENT = re.compile(r"^#\s*\((\d+'?)\)\s*(.*)$")     # "# (3) v <- ..."
# "v <- beta2 * v + (1 - beta2) * g^2": the formula runs to two spaces or the end of the line;
# what follows two spaces is a note ("if centered", "(exp_avg)", "at the first step").
FORMULA = re.compile(r"([A-Za-z_]\w*)\s*<-\s*(.+?)(?=\s{2,}|$)")
STEP_COUNTER = "state['step'] += 1"                     # bookkeeping for t, not an equation


def compact(formula: str) -> str:
    """``formula`` without whitespace: ``m*b`` in a comment is the docstring's ``m * b``."""
    return "".join(formula.split())


def docstring_rule(cls: type) -> dict[str, list[str]]:
    """The equations of the ``.. code-block:: text`` rule block of ``cls``'s own docstring:
    number -> its formulas ``lhs <- rhs`` (two for a line with an ``else`` branch; an
    indented line without a number continues the equation above it), in order."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    lines = doc.splitlines()
    start = lines.index(".. code-block:: text") + 1
    rule: dict[str, list[str]] = {}
    number = None
    for line in lines[start:]:
        if line and not line.startswith(" "):      # the block ends at the first unindented line
            break
        text = line.strip()
        match = EQUATION.match(text)
        if match:
            number, text = match.groups()
            rule[number] = []
        if number is not None:
            rule[number] += [f"{lhs} <- {rhs}" for lhs, rhs in FORMULA.findall(text)]
    return rule


def docstring_equations(cls: type) -> list[str]:
    """The numbers of the equations of ``cls``'s docstring rule block, in order."""
    return list(docstring_rule(cls))


def rule_of(cls: type) -> type:
    """The class whose ``_update`` ``cls`` runs (AdamW runs Adam's rule)."""
    return next(c for c in cls.__mro__ if "_update" in vars(c))


def rule_source(cls: type) -> str:
    return textwrap.dedent(inspect.getsource(rule_of(cls)._update))


def trailing_comments(cls: type) -> list[tuple[int, str, str]]:
    """``(line, number, text after the number)`` of each ``# (k)`` comment of the rule."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(rule_source(cls)).readline):
        match = COMMENT.match(tok.string) if tok.type == tokenize.COMMENT else None
        if match is None:
            continue
        code_before = tok.line[: tok.start[1]].strip()
        assert code_before, f"{cls.__name__}: {tok.string!r} stands alone; number the line of code it explains"
        out.append((tok.start[0], *match.groups()))
    return out


def trailing_comment_equations(cls: type) -> list[str]:
    """The numbers of the ``# (k)`` comments that end a line of code in the rule, in order of
    first appearance."""
    numbers = []
    for _, number, _ in trailing_comments(cls):
        if number not in numbers:
            numbers.append(number)
    return numbers


def formula_mismatches(cls: type) -> list[str]:
    """Where the rule's ``# (k)`` comments and the equations of ``cls``'s own docstring differ:
    a comment whose formula is not one of equation (k)'s, or a formula of equation (k) (each
    branch of an ``else``) that no comment states. Compared without whitespace."""
    documented = docstring_rule(cls)
    stated: dict[str, set[str]] = {}
    problems = []
    for _, number, text in trailing_comments(cls):
        if number not in documented:
            continue                               # the numbering tests report it
        match = FORMULA.match(text)
        if match is None:
            problems.append(f"# ({number}) {text!r} states no formula 'lhs <- rhs'")
            continue
        formula = compact(f"{match.group(1)}<-{match.group(2)}")
        stated.setdefault(number, set()).add(formula)
        if formula not in {compact(f) for f in documented[number]}:
            problems.append(f"# ({number}) says {match.group(0)!r}, the docstring {documented[number]}")
    for number, formulas in documented.items():
        problems += [f"({number}) {f!r} of the docstring is stated by no '# ({number})' comment"
                     for f in formulas if compact(f) not in stated.get(number, set())]
    return problems


def unnumbered_computations(cls: type) -> list[str]:
    """Statements of the rule that compute (``x op= ...``, or ``x = `` an arithmetic expression)
    on a line without a ``# (k)`` comment."""
    numbered = {line for line, _, _ in trailing_comments(cls)}
    out = []
    for node in ast.walk(ast.parse(rule_source(cls))):
        computes = isinstance(node, ast.AugAssign) or (
            isinstance(node, ast.Assign)
            and any(isinstance(n, (ast.BinOp, ast.UnaryOp)) for n in ast.walk(node.value)))
        if computes and node.lineno not in numbered and ast.unparse(node) != STEP_COUNTER:
            out.append(ast.unparse(node))
    return out


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_docstring_equation_is_a_numbered_line_of_the_rule(name):
    cls = OPTIMIZERS[name]
    documented = docstring_equations(cls)
    assert documented, f"{name}'s docstring has no numbered rule block"
    in_code = trailing_comment_equations(cls)
    missing = [k for k in documented if k not in in_code]
    assert not missing, f"{name}: equations {missing} of the docstring have no '# (k)' line in the rule"


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_numbered_line_of_the_rule_is_an_equation_of_its_docstring_in_order(name):
    # The rule's comments are compared with the docstring of the class that writes the rule
    # (AdamW's own docstring shows only its line (1'); Adam's shows the whole rule).
    cls = OPTIMIZERS[name]
    documented = docstring_equations(rule_of(cls))
    in_code = trailing_comment_equations(cls)
    extra = [k for k in in_code if k not in documented]
    assert not extra, f"{name}: the rule has '# (k)' lines {extra} that its docstring does not number"
    assert in_code == documented, f"{name}: the rule follows the equations in the order {in_code}, the docstring {documented}"


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_numbered_comment_states_its_docstring_equation(name):
    problems = formula_mismatches(OPTIMIZERS[name])
    assert not problems, f"{name}: " + "; ".join(problems)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_computation_of_the_rule_is_a_numbered_equation(name):
    # STYLE.md: one line per equation, numbered; no unnumbered shortcut inside the rule.
    hidden = unnumbered_computations(OPTIMIZERS[name])
    assert not hidden, f"{name}: {hidden} compute(s) on a line without a '# (k)' equation number"


class Demo:
    """Demo.

    .. code-block:: text

        (1) a <- 1
        (2) b <- a + 1           if up, else  b <- a - 1
        (3) c <- 2 * b           at the end, else
            c <- b

    Text after the block, (4) not an equation.
    """

    def _update(self, up):
        a = 1                    # (1) a <- 1
        b = a + 1 if up else a   # (2) b <- a+1
        c = b * 2                # (3) c <- b * 2  the operands swapped
        d = c - 1                # d is computed on an unnumbered line
        return a, b, c, d        # (5) stray number


def test_the_parsers_read_numbers_formulas_and_branches():
    assert docstring_rule(Demo) == {"1": ["a <- 1"], "2": ["b <- a + 1", "b <- a - 1"],
                                    "3": ["c <- 2 * b", "c <- b"]}
    assert trailing_comment_equations(Demo) == ["1", "2", "3", "5"]


def test_the_checks_see_a_wrong_formula_a_missing_branch_and_an_unnumbered_computation():
    # The tests above can fail: each defect of Demo is reported.
    assert formula_mismatches(Demo) == [
        "# (3) says 'c <- b * 2', the docstring ['c <- 2 * b', 'c <- b']",
        "(2) 'b <- a - 1' of the docstring is stated by no '# (2)' comment",
        "(3) 'c <- 2 * b' of the docstring is stated by no '# (3)' comment",
        "(3) 'c <- b' of the docstring is stated by no '# (3)' comment",
    ]
    assert unnumbered_computations(Demo) == ["d = c - 1"]
    assert [k for k in trailing_comment_equations(Demo) if k not in docstring_equations(Demo)] == ["5"]
