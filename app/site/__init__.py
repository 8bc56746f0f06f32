"""Qt-free work on the site's devices: one connection per device (trust, login, identity); later its jobs."""
