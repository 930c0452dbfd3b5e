"""Platform adapters: Slack, Discord and the console, behind one small protocol."""
