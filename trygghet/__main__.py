from trygghet.cli import main

raise SystemExit(main())
