"""Serving the skill as an HTTPS web service (flask-ask-sdk)."""
