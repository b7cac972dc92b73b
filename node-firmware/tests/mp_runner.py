"""Runs every tests/test_*.py under MicroPython with its frozen unittest; prints one summary line.

Used by run_micropython.mjs (the WebAssembly port). A failing or erroring test makes the summary
say FAILED, which the node runner turns into a non-zero exit status.
"""

import os
import sys
import unittest


# Needs processes, sockets and a pseudo-terminal: CPython only (the wasm port has none of them).
HOST_ONLY = ("test_virtual_board",)


def run(tests_dir):
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)
    names = list(sorted(n[:-3] for n in os.listdir(tests_dir) if n.startswith("test_") and n.endswith(".py")))
    for name in HOST_ONLY:
        if name in names:
            names.remove(name)
            print("not run under MicroPython (host-only: processes, sockets, pty):", name)
    suite = unittest.TestSuite()
    for name in names:
        mod = __import__(name)
        for attr in dir(mod):
            obj = getattr(mod, attr)
            if attr.endswith("Test") and not isinstance(obj, type):
                # MicroPython's unittest turns a class-level skip decorator into a function: the
                # tests would vanish silently. Use method-level skips instead.
                raise TypeError("%s.%s is not a class (class-level decorator?)" % (name, attr))
            if isinstance(obj, type) and issubclass(obj, unittest.TestCase) and obj is not unittest.TestCase:
                suite.addTest(obj)
    result = unittest.TestRunner().run(suite)
    ok = result.wasSuccessful() and result.testsRun > 0
    print("NOWMESH-MP-SUMMARY modules=%d run=%d failures=%d errors=%d skipped=%d %s" % (
        len(names), result.testsRun, result.failuresNum, result.errorsNum,
        getattr(result, "skippedNum", 0), "OK" if ok else "FAILED"))
    return ok
