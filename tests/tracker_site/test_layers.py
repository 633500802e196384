"""The layers of pyproject.toml's import contract hold for migrations too: an app's
migrations depend only on its own and on those of the apps below it (``lint-imports``,
run by ``make test``, checks the code)."""

import tomllib

from django.conf import settings
from django.db.migrations.loader import MigrationLoader


def layers() -> list[set[str]]:
    """The contract's layers from the bottom up, each a set of packages."""
    config = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())["tool"]
    (contract,) = [c for c in config["importlinter"]["contracts"] if c["type"] == "layers"]
    return [{name.strip() for name in layer.split("|")} for layer in reversed(contract["layers"])]


def test_migrations_depend_only_on_their_own_app_and_the_layers_below():
    rank = {app: position for position, layer in enumerate(layers()) for app in layer}
    graph = MigrationLoader(None, ignore_no_migrations=True).graph

    upward = sorted(
        f"{child[0]}.{child[1]} depends on {parent[0]}.{parent[1]}"
        for child, node in graph.node_map.items()
        if child[0] in rank
        for parent in (p.key for p in node.parents)
        if parent[0] in rank and parent[0] != child[0] and rank[parent[0]] >= rank[child[0]]
    )

    assert upward == []


def test_every_app_is_in_a_layer():
    ours = {app for app in settings.INSTALLED_APPS if (settings.BASE_DIR / app).is_dir()}

    assert ours == set().union(*layers())
