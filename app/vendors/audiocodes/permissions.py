"""User levels and what each may do, from the document's tables 2-1 and 2-2."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class UserLevel(enum.IntEnum):
    """REST user access levels as configured in the device's Local Users table."""

    MONITOR = 50
    ADMINISTRATOR = 100
    SECURITY_ADMINISTRATOR = 200

    @property
    def label(self) -> str:
        """The level as the device's documents name it."""
        return {50: "Monitor", 100: "Administrator", 200: "Security Administrator"}[self.value]

    @property
    def with_article(self) -> str:
        """The label with its indefinite article ("an Administrator")."""
        return ("an " if self.label[0] in "AEIOU" else "a ") + self.label

    @property
    def web_privilege(self) -> str:
        """The authToken `privLevel` giving a web session this same level."""
        return {50: "monitor", 100: "operator", 200: "admin"}[self.value]


class Action(enum.Enum):
    """Every action the panel offers, named for the technician."""

    VIEW_STATUS = "View status"
    VIEW_ALARMS = "View alarms"
    VIEW_LICENSE = "View the license"
    INSTALL_LICENSE = "Install a license"
    MANAGE_CERTIFICATES = "Manage TLS certificates"
    SAVE_CONFIGURATION = "Save the configuration"
    RESET = "Restart the device"
    OPEN_WEB = "Open the web interface"
    BACKUP_INI = "Back up the configuration (INI)"
    RESTORE_INI = "Restore or change the configuration (INI)"
    CLI_SCRIPT = "Run or back up CLI scripts"
    UPDATE_SOFTWARE = "Update the software"
    DEBUG_FILE = "Collect a debug file"


#: Minimum level per action (table 2-2: files/ini, files/cliScript, files/tls, license PUT and
#: actions/authToken need Security Administrator; other actions and files need Administrator).
REQUIRED_LEVEL: dict[Action, UserLevel] = {
    Action.VIEW_STATUS: UserLevel.MONITOR,
    Action.VIEW_ALARMS: UserLevel.MONITOR,
    Action.VIEW_LICENSE: UserLevel.ADMINISTRATOR,
    Action.INSTALL_LICENSE: UserLevel.SECURITY_ADMINISTRATOR,
    Action.MANAGE_CERTIFICATES: UserLevel.SECURITY_ADMINISTRATOR,
    Action.SAVE_CONFIGURATION: UserLevel.ADMINISTRATOR,
    Action.RESET: UserLevel.ADMINISTRATOR,
    Action.OPEN_WEB: UserLevel.SECURITY_ADMINISTRATOR,
    Action.BACKUP_INI: UserLevel.SECURITY_ADMINISTRATOR,
    Action.RESTORE_INI: UserLevel.SECURITY_ADMINISTRATOR,
    Action.CLI_SCRIPT: UserLevel.SECURITY_ADMINISTRATOR,
    Action.UPDATE_SOFTWARE: UserLevel.ADMINISTRATOR,
    Action.DEBUG_FILE: UserLevel.ADMINISTRATOR,
}


@dataclass(frozen=True, slots=True)
class Permission:
    """Whether an action is offered to this user and, if not, why."""

    allowed: bool
    reason: str = ""


def permission(level: UserLevel, action: Action) -> Permission:
    """May a user of `level` do `action`? The reason names the level needed."""
    needed = REQUIRED_LEVEL[action]
    if level >= needed:
        return Permission(True)
    return Permission(
        False,
        f"{action.value} needs {needed.with_article} user; you are logged in as {level.label}.",
    )
