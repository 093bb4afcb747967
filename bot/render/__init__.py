"""Renderings of a digest outside Slack: terminal text, an HTML page, and the PNG theme chart."""
