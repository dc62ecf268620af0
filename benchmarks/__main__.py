"""``python -m benchmarks [NAME ...] [--quick]``: run the benchmarks and write ``results/``.

BLAS, OpenMP and torch are pinned to one thread for fairness: the variables are set here, before
anything imports numpy (this package's ``__init__`` imports nothing heavy).
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import importlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from . import BENCHMARKS  # noqa: E402

#: Benchmarks run only when named: `browser` starts JupyterLab and Chromium (about 30 s).
ON_REQUEST = ("browser",)


def main(argv: list[str] | None = None) -> int:
    if "numpy" in sys.modules:  # too late to pin BLAS threads in this process
        print("[warn] numpy was imported before benchmarks/__main__: BLAS may use several threads")
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)}; "
                             f"only when named: {', '.join(ON_REQUEST)})")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, for a smoke run (tables go to /tmp/benchmarks-quick, not results/)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS) - set(ON_REQUEST))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from "
                     f"{', '.join(BENCHMARKS + ON_REQUEST)}")
    from ._common import machine

    print(f"Machine: {machine()}")
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"benchmarks.{name}")
        start = time.perf_counter()
        print(f"\n== {name} ==")
        if args.quick:
            module.run(**module.QUICK, out_dir=None).save("/tmp/benchmarks-quick")
        else:
            module.run()
        print(f"[{name}: {time.perf_counter() - start:.0f} s]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
