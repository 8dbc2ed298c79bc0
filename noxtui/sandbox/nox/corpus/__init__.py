"""The words the Nox demo workspace is made of, split by kind: ``workspace`` (people, brands,
campaigns), ``conversations`` (message text and scripts), ``templates`` (saved replies)."""
