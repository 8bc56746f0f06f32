"""Qt-free shared async backend: transport, TLS trust, auth, credentials, history, transfers."""
