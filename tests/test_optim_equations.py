"""Every optimizer's rule reads line for line like the numbered equations of its docstring.

A learner opens ``sgdlib/optim/adam.py`` next to the lesson: equation (3) of the docstring is
the line of ``_update`` that ends in ``# (3)``. These tests pin that correspondence both ways,
so an equation cannot be added, dropped or renumbered on one side only.
"""

from __future__ import annotations

import inspect
import io
import re
import textwrap
import tokenize

import pytest

from sgdlib.optim import OPTIMIZERS

EQUATION = re.compile(r"^\((\d+'?)\)\s")          # "(3) v <- ..." at the start of a rule line
COMMENT = re.compile(r"^#\s*\((\d+'?)\)")          # "# (3) v <- ..."


def docstring_equations(cls: type) -> list[str]:
    """The numbers of the equations in the ``.. code-block:: text`` rule block of ``cls``'s
    own docstring, in order."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    lines = doc.splitlines()
    start = lines.index(".. code-block:: text") + 1
    numbers = []
    for line in lines[start:]:
        if line and not line.startswith(" "):      # the block ends at the first unindented line
            break
        match = EQUATION.match(line.strip())
        if match:
            numbers.append(match.group(1))
    return numbers


def rule_of(cls: type) -> type:
    """The class whose ``_update`` ``cls`` runs (AdamW runs Adam's rule)."""
    return next(c for c in cls.__mro__ if "_update" in vars(c))


def trailing_comment_equations(cls: type) -> list[str]:
    """The numbers of the ``# (k)`` comments that end a line of code in the rule, in order of
    first appearance."""
    source = textwrap.dedent(inspect.getsource(rule_of(cls)._update))
    numbers = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.COMMENT:
            continue
        match = COMMENT.match(tok.string)
        if match is None:
            continue
        code_before = tok.line[: tok.start[1]].strip()
        assert code_before, f"{cls.__name__}: {tok.string!r} stands alone; number the line of code it explains"
        if match.group(1) not in numbers:
            numbers.append(match.group(1))
    return numbers


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


def test_the_parsers_see_a_missing_or_an_extra_number():
    # The tests above can fail: a docstring line dropped or a stray number is noticed.
    class Demo:
        """Demo.

        .. code-block:: text

            (1) a <- 1
            (2) b <- 2

        Text after the block, (3) not an equation.
        """

        def _update(self):
            a = 1  # (1) a <- 1
            b = 2  # (3) b <- 2, mis-numbered
            return a, b

    assert docstring_equations(Demo) == ["1", "2"]
    assert trailing_comment_equations(Demo) == ["1", "3"]
