from iktipet.cli import main

main()
