from charter_rules.cli import main

main()
