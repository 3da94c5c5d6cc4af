"""Two machines, one registry: identity, stamps, tombstones, the merge, and sync over git.

- ``uids``: every record's immutable ``uid`` and the keyed digests (tombstones) of erased ones;
- ``clock``: the hybrid logical clock and this machine's device id (user state folder);
- ``forms``: records keyed by uid, their cross-references written as uids;
- ``stamping``: the save-time diff that stamps every changed field (service.update calls it);
- ``merging``: the pure, per-field merge of two bodies, and of their histories;
- ``conflicts``: sync-conflict copies beside the registry;
- ``usecases``: ``merge OTHER`` and the git merge driver, locked and saved;
- ``gitsync``: ``sync init`` and ``sync``, through the ``git`` command.
"""
