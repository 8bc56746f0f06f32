"""The AudioCodes Mediant panel: status, license, TLS certificates (wizard), alarms and maintenance."""
