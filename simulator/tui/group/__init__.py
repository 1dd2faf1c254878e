"""Screens for group training: the projector view and its group debrief, the
facilitator's dashboard, a participant's join screen and app, and the web
server that serves them."""
