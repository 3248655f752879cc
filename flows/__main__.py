"""`python -m sohoa.flows`: how a worker runs each flow run. It is Prefect's engine (`python -m prefect.engine`,
the process worker's default) under a main module of ours, because multiprocessing starts each OCR process
by running the program's main module again unless that is a package's __main__: under Prefect's engine,
every OCR process of every dossier would import Prefect first."""
import runpy

if __name__ == "__main__":
    runpy.run_module("prefect.engine", run_name="__main__")  # sys.modules keeps this module as __main__
