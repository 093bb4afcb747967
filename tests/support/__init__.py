"""Helpers the tests share (no tests here): one module per subject, imported by test modules; fixtures stay in
the conftest.py files."""
