"""State and I/O the app owns; widgets only render what these hand them."""
