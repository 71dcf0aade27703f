from kpi.cli import main

raise SystemExit(main())
