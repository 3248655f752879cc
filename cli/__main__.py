from sohoa.cli.main import run

run()
