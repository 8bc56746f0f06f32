"""AudioCodes Mediant SBC/gateway: REST API client, simulator, certificate wizard and license handling."""
