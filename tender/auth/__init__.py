"""Sign in, sign out, vendor registration and the vendor's company facts."""
