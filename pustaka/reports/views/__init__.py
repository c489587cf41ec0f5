"""Staff pages of the reports: the list of reports and one page per report (see ``pages``)."""
