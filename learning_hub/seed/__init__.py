"""The demo organisation that `make run` and `flask seed-demo` load.

Its data lives in ``content/demo/*.yaml`` (read and validated by ``data``, checked
by ``flask content check`` too); ``demo`` writes it through the app's services.
"""

from learning_hub.seed.data import Demo, load_demo
from learning_hub.seed.demo import database_is_empty, seed_demo

__all__ = ["Demo", "database_is_empty", "load_demo", "seed_demo"]
