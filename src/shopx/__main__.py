from shopx.cli import app

app(prog_name="shopx")
