"""2N IP intercoms: client, simulator, display image workflow, wizard."""
