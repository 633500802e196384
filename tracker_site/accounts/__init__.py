"""Staff accounts: two-factor sign-in, password change and the session's time limits."""
