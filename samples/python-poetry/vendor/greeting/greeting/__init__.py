"""Formats the chatbot's greeting."""

__version__ = "0.1.0"


def greet(text: str) -> str:
    return f"{text} from greeting {__version__}"
