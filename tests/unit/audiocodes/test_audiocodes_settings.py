"""The Mediant INI as named settings: scalar parameters only (tables and comments left out), network,
certificate and name parameters marked, and an incremental INI carrying exactly the changes."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidParameterError
from app.vendors.audiocodes.settings import incremental_ini, parse_settings

INI = b""";** Ini File **
;Board IP Address: 10.4.219.229
[SYSTEM Params]
SyslogServerIP = 10.0.0.9
EnableSyslog = 1
LocalOAMIPAddress = 10.4.219.229
TLSContexts_Count = 3

[ InterfaceTable ]
FORMAT Index = ApplicationTypes, InterfaceMode, IPAddress;
InterfaceTable 0 = 6, 10, 10.4.219.229;
[ \\InterfaceTable ]
"""


def test_scalar_parameters_are_settings_and_identity_is_marked() -> None:
    settings = parse_settings(INI)
    assert settings.values == {"SyslogServerIP": "10.0.0.9", "EnableSyslog": "1",
                               "LocalOAMIPAddress": "10.4.219.229", "TLSContexts_Count": "3"}
    assert settings.identity == {"LocalOAMIPAddress", "TLSContexts_Count"}


def test_the_incremental_file_sets_exactly_the_changes() -> None:
    assert incremental_ini({"EnableSyslog": "0", "SyslogServerIP": "10.0.0.7"}) == (
        b"[SYSTEM Params]\r\nEnableSyslog = 0\r\nSyslogServerIP = 10.0.0.7\r\n")


@pytest.mark.parametrize("changes", [{"EnableSyslog": "0\r\nTelnetServerEnable = 1"}, {"Bad name": "1"}])
def test_a_change_that_would_write_another_line_is_refused(changes: dict[str, str]) -> None:
    with pytest.raises(InvalidParameterError):
        incremental_ini(changes)
