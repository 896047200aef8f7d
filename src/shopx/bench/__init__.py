"""Benchmark harness behind ``shopx bench``: load with wrk, compare with a ceiling app."""
