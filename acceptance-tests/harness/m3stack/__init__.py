"""m3stack: a throw-away Ironic + Redfish + file server + stand-in agent for the tests.

`python -m m3stack up|down|run|status --dir DIR`; see TEAM.md for the stack.json contract.
"""
