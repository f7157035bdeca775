-- Core table indexes.
-- workspace_members (workspace_id, ...) lookups use UNIQUE (workspace_id, user_id).

CREATE INDEX idx_workspace_members_user ON workspace_members (user_id);
