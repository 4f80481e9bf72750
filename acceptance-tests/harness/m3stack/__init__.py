"""m3stack: a throw-away Ironic + Redfish + file server + stand-in agent for the tests.

`python -m m3stack up|down|run|status --dir DIR`; `stack.json` (written by `up`)
lists the URLs, ports, images and log directory that tests read.
"""
