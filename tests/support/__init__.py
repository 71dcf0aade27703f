"""What the tests share: app and browser drivers, database servers, test data, the CLI runner."""
