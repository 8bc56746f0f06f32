"""Qt-free discovery: mDNS browsing, identification probes, manual add, range scan, the device inventory."""
