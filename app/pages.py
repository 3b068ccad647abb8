"""Where the page's files are: `static/` and `templates/`, and the `/favicon.ico` route.

An installed wheel holds them inside the package, as `app/static` and `app/templates` (see
setup.py), and they are found there through `importlib.resources`. In a source checkout
(an editable install) they are the checkout's top-level `static/` and `templates/` folders,
which setuptools' editable finder cannot present as package data.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse


def page_folder(name: str) -> Path:
    """The folder of the page's `static` or `templates` files; RuntimeError when missing."""
    package = Path(str(files("app")))
    packaged = package / name
    if packaged.is_dir():
        return packaged
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    raise RuntimeError(
        f"the page's {name}/ folder is missing from {package}; reinstall backprop-lens "
        "from its wheel (pip install backprop_lens-*.whl)"
    )


def add_favicon(app: FastAPI, static: Path) -> None:
    """`/favicon.ico`, which browsers and bookmark tools ask for whatever the page links."""
    icon = static / "favicon.ico"

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(icon, media_type="image/vnd.microsoft.icon")
