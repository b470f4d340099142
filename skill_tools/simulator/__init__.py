"""Local spoken-text simulator of the skill."""
