"""The wheel's packages: every package under app/ and core/, and the page's files.

The page's files stay at the top level of the repository (static/, templates/) and ship
inside the wheel as the data-only packages `app.static` and `app.templates`, every folder
below them included, where app/pages.py finds them. Everything else is in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent
PAGE = {"app.static": "static", "app.templates": "templates"}


def page_packages() -> list[str]:
    """app.static, app.static.js, …: one package per folder of the page's files."""
    names = []
    for package, folder in PAGE.items():
        for sub in sorted(p for p in [HERE / folder, *(HERE / folder).rglob("*")] if p.is_dir()):
            if sub.name != "__pycache__":
                names.append(".".join([package, *sub.relative_to(HERE / folder).parts]))
    return names


pages = page_packages()
setup(
    packages=find_packages(include=["app", "app.*", "core", "core.*"]) + pages,
    package_dir=dict(PAGE),
    package_data={name: ["*"] for name in pages},
)
