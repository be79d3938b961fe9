"""The curriculum model: files -> typed objects that remember their source positions.

Nothing in this package imports a renderer.
"""
