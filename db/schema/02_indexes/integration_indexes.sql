-- Integration table indexes.
-- No index on integration_definitions(slug): covered by its UNIQUE constraint.
-- No index on integration_connections(workspace_id): covered by the leading
-- column of UNIQUE (workspace_id, integration_id).

CREATE INDEX idx_integration_definitions_category ON integration_definitions (category);
CREATE INDEX idx_integration_definitions_active ON integration_definitions (active)
    WHERE active = true;

CREATE INDEX idx_integration_connections_status ON integration_connections (status);
CREATE INDEX idx_integration_connections_integration ON integration_connections (integration_id);
