"""The residents a demo intercom's directory holds when the app first sees it (resources/two_n has
the installer's list that goes with them, residents.csv)."""

from __future__ import annotations

from app.vendors.two_n.simulator.directory_store import DirectoryStore

#: name, buttons, first number to call, e-mail, virtual number, folder (treepath).
DEMO_RESIDENTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Reception", "1", "sip:100@pbx.example.invalid", "reception@example.invalid", "100", "/"),
    ("Anna Novak", "2", "201", "anna.novak@example.invalid", "201", "/Floor 2/"),
    ("Jan Dvorak", "3", "202", "", "202", "/Floor 2/"),
    ("Petra Svobodova", "4", "301", "petra@example.invalid", "301", "/Floor 3/"),
    ("Martin Cerny", "5", "302", "", "302", "/Floor 3/"),
    ("Caretaker", "6", "0601555123", "caretaker@example.invalid", "", "/"),
)


def seed_residents(store: DirectoryStore) -> None:
    """Fill `store` with DEMO_RESIDENTS (uuids drawn from its random source: the same per seed)."""
    for name, buttons, peer, email, virt_number, treepath in DEMO_RESIDENTS:
        values = {"name": name, "buttons": buttons, "email": email, "virtNumber": virt_number,
                  "treepath": treepath, "callPos": [{"peer": peer}]}
        store.write(store.new_uuid(), values, reset=True)
