from tumar.interfaces.cli import main

main()
