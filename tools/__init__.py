"""Tools: Jira and Confluence sources (workspace folder backends) and their parsers."""
