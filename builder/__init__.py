"""Curriculum-as-code course builder: load -> check -> render."""

__version__ = "0.1.0"
