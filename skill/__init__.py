"""Kyphoplasty Recovery: an Alexa skill that answers recovery questions from one source article."""
