"""Inxpect MSK-101-POE radar: client, models, IFW packages, simulator and wizard controllers."""
