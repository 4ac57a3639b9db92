"""Development and demo: secrets generated into the data directory when not given."""

from kariya.config import env
from kariya.config.settings.base import *  # noqa: F403

_secrets = env.dev_secrets()
SECRET_KEY = _secrets.secret_key
KARIYA_ENCRYPTION_KEYS = _secrets.encryption_keys
KARIYA_BLIND_INDEX_KEY = _secrets.blind_index_key
DEBUG = env.get_bool("KARIYA_DEBUG", False)
KARIYA_ALLOW_DEMO = True
