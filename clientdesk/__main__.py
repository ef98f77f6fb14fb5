"""Allow `python -m clientdesk`."""

from clientdesk.cli import main

main()
