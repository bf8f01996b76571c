"""The SSDA903 code lists (``codes``) and placement groups (``groups``): a leaf every app may name.

They import nothing of the project (contract ``code-lists``), so the records (care, casework,
leavers) name their choices from them and the return reads and checks against them, with no cycle
between those apps and the return.
"""
