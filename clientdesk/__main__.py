"""Allow `python -m clientdesk`."""

from clientdesk.launch import main

main()
