from kariya.cli import main

main()
