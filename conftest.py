"""Repository-wide pytest set-up for `make test`.

Scripts that need torch (reference generation) or that are benchmarks are run by hand or by
`make bench`, never collected. (Do not set MPLBACKEND here: the nbval kernels inherit the
environment, and ipykernel only selects the inline backend when MPLBACKEND is unset.)
"""

collect_ignore_glob = ["tests/reference/generate_*.py", "benchmarks/*"]
