"""The Textual app. The only part of the simulator that imports Textual."""
