"""What a scenario does when it is played, worked out without playing it by hand:
balance analysis (best and worst routes, test-wise strategies), best paths, and
the lint rules that warn an author about a scenario that validates but will
mislead (the best option always first, an ending off every best path…).

May use: engine, model, scoring.
"""
