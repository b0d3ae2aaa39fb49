"""Access: no private metadata through side doors (tags, group members)."""
