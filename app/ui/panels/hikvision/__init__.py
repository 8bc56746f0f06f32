"""Hik-Partner Pro cloud panel and end-of-visit wizard."""
