from coursekit.cli import app

app(prog_name="coursekit")
