from tinyperf_cli.main import main

raise SystemExit(main())
