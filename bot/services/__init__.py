"""Domain logic, free of Slack types: listeners, jobs and the CLI all call these."""
