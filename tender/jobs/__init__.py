"""Background jobs: the queue and its Job rows (:mod:`.queue`), the app's job functions
(:mod:`.tasks`) and the job pages under /jobs (:mod:`.views`)."""
