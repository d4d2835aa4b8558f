"""Reads the greeting the alembic migration stored and prints it with the machine it runs on."""
import platform
import sqlite3

from greeting import greet

with sqlite3.connect("chatbot.db") as db:
    revision = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    text = db.execute("SELECT text FROM messages WHERE id = 1").fetchone()[0]
print(f"chatbot_tg on {platform.machine()}: {greet(text)} (schema revision {revision})")
