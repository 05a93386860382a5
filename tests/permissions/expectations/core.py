from ..framework import Case, everyone

CASES = [
    Case("core:home", everyone(200)),
    Case("core:about", everyone(200)),
    Case("set_language", everyone(302), method="post", data=lambda w: {"language": "en"}),
]
