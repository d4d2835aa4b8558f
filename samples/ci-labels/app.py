"""Prints the architecture it runs on; the image's labels say which commit it was built from."""
import platform

print(f"ci-labels on {platform.machine()}")
