"""Excel commands: `rolecell addin install` (Windows desktop), `rolecell serve` (Office.js)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from rolecell.cli import EXIT_USER_ERROR, app, console, errors

UDF_MODULE = "rolecell.excel.functions"
ADDIN_NAME = "rolecell.xlam"
TEMPLATE_NAME = "rolecell.xlsm"

addin_app = typer.Typer(help="Set up rolecell's Excel add-in on Windows (the free xlwings path).",
                        no_args_is_help=True)
app.add_typer(addin_app, name="addin")


def xlwings_config_file() -> Path:
    """xlwings' user configuration file (~/.xlwings/xlwings.conf on Windows)."""
    return Path.home() / ".xlwings" / "xlwings.conf"


def update_xlwings_config(path: Path, settings: dict[str, str]) -> list[str]:
    """Set keys in an xlwings.conf ("KEY","value" per line), keeping every other line.

    Returns a description of each change, for the user.
    """
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept, old = [], {}
    for line in lines:
        key = line.split(",", 1)[0].strip().strip('"')
        if key in settings:
            old[key] = line.split(",", 1)[1].strip().strip('"') if "," in line else ""
        elif line.strip():
            kept.append(line)
    kept += [f'"{key}","{value}"' for key, value in settings.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return [f"{key} = {value}" + (f" (was {old[key]})" if key in old and old[key] != value
                                   else "") for key, value in settings.items()]


def template_file(name: str) -> Path | None:
    """A template shipped with rolecell: inside the installed package, or in the checkout."""
    packaged = resources.files("rolecell").joinpath("_templates", name)
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "templates" / name
    return checkout if checkout.is_file() else None


def xlstart_folder() -> Path | None:
    """Excel's per-user start-up folder (%APPDATA%\\Microsoft\\Excel\\XLSTART), if known."""
    appdata = os.environ.get("APPDATA")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART" if appdata else None


@addin_app.command("install")
def addin_install(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be done; change "
                                          "nothing.")] = False,
    skip_xlwings: Annotated[bool, typer.Option("--skip-xlwings", help="Do not (re)install "
                                               "the xlwings add-in.")] = False,
    config_file: Annotated[Path | None, typer.Option("--config-file", help="xlwings.conf to "
                                                     "update (default: ~/.xlwings/"
                                                     "xlwings.conf).")] = None,
    xlstart: Annotated[Path | None, typer.Option("--xlstart", help="Folder to copy "
                                                 "rolecell.xlam into (default: Excel's "
                                                 "XLSTART).")] = None,
) -> None:
    """Install the xlwings add-in, point its UDF Modules at rolecell, add the RoleCell tab."""
    if not sys.platform.startswith("win") and not dry_run:
        errors.print("error: the desktop add-in needs Excel on Windows. On a Mac or in Excel "
                     "on the web use xlwings Lite, or `rolecell serve` (see the README). "
                     "Use --dry-run to see the steps.", highlight=False)
        raise typer.Exit(EXIT_USER_ERROR)
    prefix = "would " if dry_run else ""
    done: list[str] = []
    if not skip_xlwings:
        command = [sys.executable, "-m", "xlwings.cli", "addin", "install"]
        if not dry_run:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                errors.print("error: `xlwings addin install` failed: "
                              f"{(result.stderr or result.stdout).strip()}. Close Excel and "
                              "try again.", highlight=False)
                raise typer.Exit(EXIT_USER_ERROR)
        done.append(f"{prefix}install the xlwings add-in (xlwings addin install)")
    target = config_file or xlwings_config_file()
    settings = {"UDF MODULES": UDF_MODULE, "INTERPRETER_WIN": sys.executable}
    if dry_run:
        done += [f"would set {key} = {value} in {target}" for key, value in settings.items()]
    else:
        done += [f"set {change} in {target}" for change in update_xlwings_config(target,
                                                                                 settings)]
    addin = template_file(ADDIN_NAME)
    folder = xlstart or xlstart_folder()
    if addin is None:
        done.append("skipped the RoleCell ribbon tab: rolecell.xlam is not in this "
                    "installation")
    elif folder is None:
        done.append(f"skipped the RoleCell ribbon tab: Excel's XLSTART folder is unknown; "
                    f"copy {addin} there yourself")
    else:
        if not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(addin, folder / ADDIN_NAME)
        done.append(f"{prefix}copy {ADDIN_NAME} (the RoleCell ribbon tab) to {folder}")
    template = template_file(TEMPLATE_NAME)
    console.print("[bold]rolecell addin install[/]" + (" (dry run)" if dry_run else ""),
                  highlight=False)
    for item in done:
        console.print(f"  - {item}", highlight=False, markup=False)
    console.print("\nNext, in Excel:", highlight=False)
    steps = [
        "Close and reopen Excel: the xlwings and RoleCell tabs appear on the ribbon.",
        "Open a workbook saved as .xlsm"
        + (f" (or start from the template {template})" if template else "") + ".",
        "On the xlwings tab, click Import Functions.",
        "Type =ROLE(B2) in a cell next to a responsibility in B2 and press Enter.",
        "Use the RoleCell tab to classify the register and build the Comparison and "
        "Staffing sheets.",
    ]
    for number, step in enumerate(steps, start=1):
        console.print(f"  {number}. {step}", highlight=False, markup=False)
    if dry_run:
        console.print("Nothing was changed (dry run).", style="dim")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    public_url: Annotated[str | None, typer.Option("--public-url", help="Where Excel reaches "
                                                   "the server, e.g. https://rolecell.example."
                                                   "org (default: the request's own URL).")
                          ] = None,
    certfile: Annotated[Path | None, typer.Option(help="TLS certificate (Office add-ins need "
                                                  "HTTPS outside localhost).")] = None,
    keyfile: Annotated[Path | None, typer.Option(help="TLS private key.")] = None,
) -> None:
    """Serve the Office.js add-in (Excel on the web, Mac, Windows) on xlwings Server."""
    try:
        import uvicorn

        from rolecell.server import LICENCE_NOTICE, create_app
        application = create_app(public_url)
    except ImportError as error:
        errors.print(f"error: `rolecell serve` needs the optional server extra ({error.name} "
                     "is missing): pip install \"rolecell[server]\"", highlight=False)
        raise typer.Exit(EXIT_USER_ERROR) from None
    if bool(certfile) != bool(keyfile):
        errors.print("error: give both --certfile and --keyfile, or neither", highlight=False)
        raise typer.Exit(EXIT_USER_ERROR)
    scheme = "https" if certfile else "http"
    base = public_url or f"{scheme}://{host}:{port}"
    console.print(f"[bold]rolecell serve[/]: add-in manifest at {base}/manifest.xml",
                  soft_wrap=True, highlight=False)
    console.print(f"Note: {LICENCE_NOTICE}", style="yellow", highlight=False, soft_wrap=True)
    uvicorn.run(application, host=host, port=port, log_level="info",
                ssl_certfile=str(certfile) if certfile else None,
                ssl_keyfile=str(keyfile) if keyfile else None)
