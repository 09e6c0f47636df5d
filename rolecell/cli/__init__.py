"""The command line. Commands live in the modules of this package and register on `app`.

Every user error ends with a one-paragraph message on stderr and exit code 2; never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Annotated, TypeVar

import typer
from rich.console import Console

import rolecell
from rolecell.register import RegisterError

app = typer.Typer(
    name="rolecell",
    help="Decide which management work belongs to an operations manager and which to a "
         "project manager, and whom to hire because of it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)
console = Console()
errors = Console(stderr=True)

EXIT_USER_ERROR = 2

F = TypeVar("F", bound=Callable)


def user_errors(command: F) -> F:
    """Turn the errors a user can cause into a clear message and exit code 2."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except RegisterError as error:
            errors.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        except PermissionError as error:
            errors.print(f"[bold red]error:[/] cannot write {error.filename}: permission denied "
                         "(is the file open in Excel?)", highlight=False)
        except OSError as error:
            errors.print(f"[bold red]error:[/] {error}", highlight=False)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # a bug of ours: say so plainly, keep the details for us
            if os.environ.get("ROLECELL_DEBUG"):
                raise
            errors.print(f"[bold red]internal error:[/] {type(error).__name__}: {error}. "
                         "Nothing was written. Set ROLECELL_DEBUG=1 for details and please "
                         "report it.", highlight=False)
            raise typer.Exit(1) from None
        raise typer.Exit(EXIT_USER_ERROR)

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        console.print(f"rolecell {rolecell.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """rolecell: operations manager or project manager?"""


def main() -> None:
    """Entry point of the `rolecell` command."""
    app()


# The commands: each module registers its own on `app` when imported.
from rolecell.cli import core_commands  # noqa: E402,F401

__all__ = ["app", "main", "user_errors", "console", "errors", "EXIT_USER_ERROR"]
from rolecell.cli import excel_commands as excel_commands  # noqa: E402,F401
from rolecell.cli import lite_commands  # noqa: E402,F401
from rolecell.cli import report_commands as report_commands  # noqa: E402,F401
