"""A short, human description of the device behind a user agent string, for the sessions page.

Deliberately coarse ("Firefox on Windows"): enough for a person to recognise their own devices, too little
to fingerprint anyone, and nothing of the raw string is stored.
"""

import re

# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", and so on.
BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
SYSTEMS = [
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Android", "Android"),
    (r"CrOS", "ChromeOS"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"Linux", "Linux"),
]


def device_summary(user_agent: str | None) -> str:
    user_agent = user_agent or ""
    browser = next((name for pattern, name in BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for pattern, name in SYSTEMS if re.search(pattern, user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "An unrecognised browser or app")
