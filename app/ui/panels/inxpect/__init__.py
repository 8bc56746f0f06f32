"""The Inxpect MSK-101-POE commissioning panel."""
