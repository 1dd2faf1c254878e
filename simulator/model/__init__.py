"""The vocabulary every part shares: the scenario model (immutable records),
conditions on its variables, located diagnostics, what the format allows (read
from its schema), and text made inert before it is shown.

May use: the standard library. Nothing else in the simulator.
"""
