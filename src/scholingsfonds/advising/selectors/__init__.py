"""Reads for the advisor's workspace, one module per concept:

- `cases`: the queue and one case (planned, held, repairs; the read of personal data);
- `agenda`: advisors, free slots and a week's agenda;
- `financing`: schemes and policies in force, the facts and stack, the saved arrangement;
- `figures`: conversations against the target, lead times, caseload, outcomes;
- `occupations`: the lists of promising occupations and what an uploaded file would change.
"""
