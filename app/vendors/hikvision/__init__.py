"""Hikvision Hik-Partner Pro cloud: client, simulator, end-of-visit wizard controller."""
