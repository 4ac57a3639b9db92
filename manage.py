#!/usr/bin/env python
"""Django's manage.py, for those who expect it; ``kariya`` is the same thing."""

from kariya.cli import main

if __name__ == "__main__":
    main()
