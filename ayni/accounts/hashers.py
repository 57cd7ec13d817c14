from django.contrib.auth.hashers import Argon2PasswordHasher


class AyniArgon2Hasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane): ~25 ms per check here.

    Django's default (100 MiB, 8 lanes) costs ~170 ms on two cores, which would cap
    payment day at ~10 logins a second. Measured by bench/password_hash.py.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
