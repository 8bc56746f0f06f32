"""History actions whose details the visit checklist and the as-built report read: the panels record them
under these names with these detail keys, so the evidence of a test is written in one place."""

from __future__ import annotations

#: Inxpect walk test: detail {"alarm_at_m": float, "area_ends_m": float}; result "passed" or "failed".
WALK_TEST = "Walk test"
#: Inxpect calibration saved: detail {"coefficient": int}; result "done".
CALIBRATION_SAVED = "Calibration saved"
#: Firmware changed and read back: detail {"from": str, "to": str, "file": str}; result "done".
FIRMWARE_UPDATED = "Firmware updated"
#: The factory (first) password was replaced; result "done".
FACTORY_PASSWORD_CHANGED = "Factory password changed"  # noqa: S105  (an action's name)
#: 2N commissioning wizard steps ("wizard.door" is the door test); result "passed" or "failed".
TWO_N_WIZARD_PREFIX = "wizard."
#: The 2N wizard's door test (the relay opened and closed) and its test call (a call connected).
TWO_N_DOOR_TEST = "wizard.door"
TWO_N_TEST_CALL = "wizard.call"
#: A picture put on an intercom's display: detail {"file", "display", "how", "width", "height"}.
DISPLAY_PICTURE = "Display picture shown"
#: Axis final stitching alignment: detail {"sensors": {...}, "blendingAmount",
#: "parallaxCompensationDistance"}.
ALIGNMENT_RECORDED = "Stitching alignment recorded"
#: Mediant TLS certificate: result "confirmed" or "unconfirmed"; detail {"context", "installed", "served",
#: "verified_by", "subject", "issuer", "not_after"}.
CERTIFICATE_REPLACED = "TLS certificate replaced"
#: Cloud device added to the customer's site: action "Register to site <name>"; result "done" or "failed".
REGISTERED_PREFIX = "Register to site "
#: A cloud device as the cloud lists it, recorded when it changes: result "online" or "offline"; detail
#: {"model", "name", "firmware", "site", "handover"}, "handover" one of HANDOVER_WORDS' values.
CLOUD_DEVICE_STATE = "Cloud device state"
#: The "handover" detail of CLOUD_DEVICE_STATE once the customer accepted the site.
HANDOVER_ACCEPTED = "accepted"
#: Cloud site handed over to the customer: action "Hand over <site>"; detail {"customer", "devices"}.
HANDED_OVER_PREFIX = "Hand over "
#: A site-wide job's outcome on one device (app/site/jobs): action "Site job: <kind>";
#: detail {"job", "message"}.
SITE_JOB_PREFIX = "Site job: "
#: The device's certificate was pinned: action "Certificate", results below.
CERTIFICATE_ACTION = "Certificate"
CERTIFICATE_TRUSTED_RESULTS = frozenset({"trusted", "pinned to the serial read after login"})
#: Results that say an action succeeded.
SUCCESS_RESULTS = frozenset({"done", "succeeded", "passed", "confirmed", "recorded", "trusted", "stored"})
