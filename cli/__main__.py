from sohoa.cli.main import main

main()
