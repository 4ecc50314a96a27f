"""Everything that talks to the outside: broker APIs, SMTP, the job queue."""
