"""The package version, read once from the installed distribution."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("backprop-lens")
except PackageNotFoundError:  # running from a source tree that was never installed
    VERSION = "0.0.0"
