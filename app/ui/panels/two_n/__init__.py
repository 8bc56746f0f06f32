"""The 2N IP intercom commissioning panel and wizard."""
