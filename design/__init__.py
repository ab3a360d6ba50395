"""The test-design engine: criteria read into behaviours, techniques, and the cases they render.

`reading.analyse` reads a criterion (sentence shapes from `shapes/`, words from `lexicon/`)
into typed `Behaviour`s; `techniques` turns them into the configurations to test (decision
tables over cause-effect trees, boundaries, classes, roles, states); `rendering` words each
as a case. It plans and checks the agents' cases (`casewright.agents`) and needs no model.
"""
