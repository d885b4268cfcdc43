from alertsync.cli import main

main()
