#!/usr/bin/env python3
"""Checks that a man page is in step with its program's --help: every long option (and, for
docket-cli, every command) that --help prints must be described in the page; and, when groff is
installed, that the page renders without a warning.

usage: check_man_page.py PROGRAM MAN_PAGE
Exit status: 0 in step, 1 not.
"""
import os
import re
import shutil
import subprocess
import sys


def plain_text(roff: str) -> str:
    """The page's words without roff markup, near enough to search for option names."""
    lines = [line for line in roff.splitlines() if not line.startswith('.\\"')]
    text = "\n".join(re.sub(r"^\.[A-Za-z]+\s?", "", line) for line in lines)
    text = re.sub(r"\\f[BIRP]", "", text)
    text = text.replace("\\-", "-").replace("\\(em", "-").replace('"', "")
    return re.sub(r"\s+", " ", text)


def main() -> int:
    program, page = sys.argv[1], sys.argv[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    help_text = subprocess.run([program, "--help"], capture_output=True, text=True, env=env,
                               timeout=60, check=True).stdout
    with open(page, encoding="utf-8") as source:
        roff = source.read()
    text = plain_text(roff)

    wanted = sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", help_text)))
    commands = []
    if "\nCommands:\n" in help_text:
        block = help_text.split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
        for line in block.splitlines():
            if line.startswith("  ") and not line.startswith("    "):
                # The command's words: up to the first placeholder (upper case) or bracket.
                words = []
                usage = re.split(r"\s{2,}", line.strip())[0]  # the description follows
                for word in usage.split():
                    if not re.fullmatch(r"[a-z]+", word):
                        break
                    words.append(word)
                commands.append(" ".join(words))

    missing = [option for option in wanted if not re.search(re.escape(option) + r"(?![\w-])", text)]
    missing += [command for command in commands if command not in text]
    for item in missing:
        print(f"{page}: {program} --help prints '{item}', the man page does not describe it")
    print(f"{os.path.basename(page)}: {len(wanted)} options, {len(commands)} commands checked")

    status = 1 if missing else 0
    groff = shutil.which("groff")
    if groff:
        lint = subprocess.run([groff, "-man", "-ww", "-z", "-Tutf8", page], capture_output=True,
                              text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
        if lint.returncode != 0 or lint.stderr.strip():
            print(f"{page}: groff warns:\n{lint.stderr}")
            status = 1
    else:
        print("groff is not installed: the page's markup was not checked")
    return status


if __name__ == "__main__":
    sys.exit(main())
