"""Runs vendor simulators as real HTTPS servers on loopback and advertises them over mDNS."""
