from rolecell.cli import main

main()
