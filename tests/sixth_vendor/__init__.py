"""A test-only sixth vendor ("Lumen" door controllers): plugin, client, simulator and panel, outside app/.

It joins the app only through the registries' seams (`app.vendors.registry.register`,
`app.ui.panels.registry.register_panel`), proving a vendor needs no change to generic code.
"""
