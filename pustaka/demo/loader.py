def load_demo(*, stdout):
    stdout.write("demo: to be written")
