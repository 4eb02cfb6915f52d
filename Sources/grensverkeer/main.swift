import GrensCLI
GrensCLI.main()
