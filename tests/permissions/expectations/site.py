from ..framework import Case, everyone

# The public pages: everyone sees them. A search that cannot be run is the visitor's input error.
CASES = [
    Case("site:home", everyone(200)),
    Case("site:home", everyone(200), data=lambda w: {"q": "Dorst"}, label="search"),
    Case("site:home", everyone(400), data=lambda w: {"q": "x" * 101}, label="search too long"),
    Case("site:about", everyone(200)),
    # set_language redirects back to the page the visitor came from, logged in or not.
    Case("set_language", everyone(302), method="post", data=lambda w: {"language": "en"}),
    # A GET changes nothing and just sends the visitor back.
    Case("set_language", everyone(302), label="GET"),
]
